-- Headline variants per group (string[] as JSON), one more plan factor; null: none.
ALTER TABLE `groups` ADD `headlines` text;
