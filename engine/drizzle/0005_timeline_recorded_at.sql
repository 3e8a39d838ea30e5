CREATE TABLE `probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `timeline` ADD `recorded_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `timeline_recorded` ON `timeline` (`recorded_at`);--> statement-breakpoint
-- Rows written before this column existed were recorded no earlier than their step: keep trimming them by it.
UPDATE `timeline` SET `recorded_at` = `at`;
