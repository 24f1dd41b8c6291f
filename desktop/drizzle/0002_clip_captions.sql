-- Captions per clip (CaptionCue[] as JSON), burned in during their cues; null: none.
ALTER TABLE `clips` ADD `captions` text;
