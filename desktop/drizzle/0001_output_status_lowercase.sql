-- Output statuses use the same lowercase casing as job and clip statuses (pending, processing, completed, failed, cancelled).
UPDATE `outputs` SET `status` = lower(`status`) WHERE `status` <> lower(`status`);
