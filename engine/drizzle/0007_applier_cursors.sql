CREATE TABLE `applier_cursors` (
	`part` integer PRIMARY KEY NOT NULL,
	`xid` integer DEFAULT 0 NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
-- Before the log-first applier every event was applied in the transaction that stored it: the cursor starts past them all.
INSERT INTO `applier_cursors` (`part`, `xid`, `seq`) SELECT 0, 0, coalesce(max(`seq`), 0) FROM `events`;
