ALTER TABLE `jobs` ADD `checks_owed` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `near_duplicates` text;--> statement-breakpoint
ALTER TABLE `outputs` ADD `preflight` text;--> statement-breakpoint
ALTER TABLE `outputs` ADD `opening` text;