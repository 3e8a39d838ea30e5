ALTER TABLE `fact_entries` ADD `time_zone` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `fact_entries` ADD `active_d1` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `fact_entries` ADD `active_d7` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `fact_entries` ADD `active_d30` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `fact_entries_user_day` ON `fact_entries` (`user_id`,`time_zone`,`cohort_day`);--> statement-breakpoint
-- Retention is now kept per entry as activity is folded: fold the facts again from the timeline.
DELETE FROM `report_cursors`;--> statement-breakpoint
DELETE FROM `fact_entries`;--> statement-breakpoint
DELETE FROM `fact_visits`;--> statement-breakpoint
DELETE FROM `fact_node_days`;--> statement-breakpoint
DELETE FROM `fact_arms`;--> statement-breakpoint
DELETE FROM `fact_grants`;--> statement-breakpoint
DELETE FROM `fact_spend`;--> statement-breakpoint
DELETE FROM `fact_refusals`;--> statement-breakpoint
DELETE FROM `fact_activity`;--> statement-breakpoint
DELETE FROM `fact_segment_moves`;
