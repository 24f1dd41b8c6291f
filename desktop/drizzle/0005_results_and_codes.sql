CREATE TABLE `component_codes` (
	`project_id` text NOT NULL,
	`prefix` text NOT NULL,
	`key` text NOT NULL,
	`code` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `prefix`, `key`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `component_codes_code` ON `component_codes` (`project_id`,`code`);--> statement-breakpoint
CREATE TABLE `result_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`file` text NOT NULL,
	`platform` text NOT NULL,
	`currency` text,
	`columns` text NOT NULL,
	`imported_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `result_imports_project` ON `result_imports` (`project_id`,`imported_at`);--> statement-breakpoint
CREATE TABLE `result_rows` (
	`import_id` text NOT NULL,
	`line` integer NOT NULL,
	`ad_name` text NOT NULL,
	`ad_id` text,
	`impressions` real NOT NULL,
	`clicks` real NOT NULL,
	`spend` real NOT NULL,
	`conversions` real NOT NULL,
	`hook_views` real,
	`start` text NOT NULL,
	`end` text NOT NULL,
	PRIMARY KEY(`import_id`, `line`),
	FOREIGN KEY (`import_id`) REFERENCES `result_imports`(`id`) ON UPDATE no action ON DELETE cascade
);
