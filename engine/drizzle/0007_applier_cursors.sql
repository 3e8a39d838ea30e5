CREATE TABLE `applier_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
-- Before the log-first applier every event was applied in the transaction that stored it: the cursor starts past them all.
INSERT INTO `applier_cursors` (`name`, `seq`) SELECT 'events', coalesce(max(`seq`), 0) FROM `events`;
