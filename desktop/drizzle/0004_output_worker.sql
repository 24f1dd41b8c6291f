-- Render-farm worker ("host:pid") that made each output; null: rendered on this computer.
ALTER TABLE `outputs` ADD `worker` text;