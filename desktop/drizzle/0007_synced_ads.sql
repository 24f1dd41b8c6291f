CREATE TABLE `synced_ads` (
	`project_id` text NOT NULL,
	`clip_ids` text NOT NULL,
	`headlines` text NOT NULL,
	PRIMARY KEY(`project_id`, `clip_ids`, `headlines`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
