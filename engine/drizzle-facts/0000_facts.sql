CREATE TABLE `fact_activity` (
	`time_zone` text NOT NULL,
	`user_id` text NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`time_zone`, `user_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `fact_arms` (
	`journey_id` text NOT NULL,
	`node_id` text NOT NULL,
	`user_id` text NOT NULL,
	`entry` integer NOT NULL,
	`version` integer NOT NULL,
	`arm` text NOT NULL,
	PRIMARY KEY(`journey_id`, `node_id`, `user_id`, `entry`)
);
--> statement-breakpoint
CREATE INDEX `fact_arms_arm` ON `fact_arms` (`journey_id`,`node_id`,`arm`);--> statement-breakpoint
CREATE TABLE `fact_entries` (
	`journey_id` text NOT NULL,
	`user_id` text NOT NULL,
	`entry` integer NOT NULL,
	`version` integer NOT NULL,
	`run_version` integer NOT NULL,
	`entered_at` integer NOT NULL,
	`cohort_day` integer NOT NULL,
	`converted_at` integer,
	`exit_reason` text,
	`exited_at` integer,
	`node_id` text NOT NULL,
	`handle` text NOT NULL,
	`visits` integer NOT NULL,
	`time_zone` text DEFAULT '' NOT NULL,
	`active_d1` integer DEFAULT 0 NOT NULL,
	`active_d7` integer DEFAULT 0 NOT NULL,
	`active_d30` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`journey_id`, `user_id`, `entry`)
);
--> statement-breakpoint
CREATE INDEX `fact_entries_user_day` ON `fact_entries` (`user_id`,`time_zone`,`cohort_day`);--> statement-breakpoint
CREATE INDEX `fact_entries_cohort` ON `fact_entries` (`journey_id`,`version`,`cohort_day`);--> statement-breakpoint
CREATE INDEX `fact_entries_state` ON `fact_entries` (`journey_id`,`exit_reason`,`node_id`);--> statement-breakpoint
CREATE INDEX `fact_entries_converted` ON `fact_entries` (`journey_id`,`converted_at`);--> statement-breakpoint
CREATE TABLE `fact_entry_attributes` (
	`journey_id` text NOT NULL,
	`user_id` text NOT NULL,
	`entry` integer NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`journey_id`, `user_id`, `entry`, `name`)
);
--> statement-breakpoint
CREATE INDEX `fact_entry_attributes_value` ON `fact_entry_attributes` (`journey_id`,`name`,`value`);--> statement-breakpoint
CREATE TABLE `fact_grants` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`node_id` text NOT NULL,
	`user_id` text NOT NULL,
	`entry` integer NOT NULL,
	`at` integer NOT NULL,
	`day` integer NOT NULL,
	`type` text NOT NULL,
	`unit` text NOT NULL,
	`amount` integer NOT NULL,
	`budget_id` text,
	`returned_at` integer,
	`redeemed_at` integer,
	`expired_at` integer
);
--> statement-breakpoint
CREATE INDEX `fact_grants_entry` ON `fact_grants` (`journey_id`,`user_id`,`entry`);--> statement-breakpoint
CREATE INDEX `fact_grants_node` ON `fact_grants` (`journey_id`,`node_id`,`type`);--> statement-breakpoint
CREATE INDEX `fact_grants_open` ON `fact_grants` (`user_id`,`returned_at`,`at`);--> statement-breakpoint
CREATE TABLE `fact_holdouts` (
	`journey_id` text NOT NULL,
	`user_id` text NOT NULL,
	`held_at` integer NOT NULL,
	`converted_at` integer,
	PRIMARY KEY(`journey_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `fact_holdouts_held` ON `fact_holdouts` (`journey_id`,`held_at`);--> statement-breakpoint
CREATE TABLE `fact_node_days` (
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`node_id` text NOT NULL,
	`handle` text NOT NULL,
	`day` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`journey_id`, `version`, `node_id`, `handle`, `day`)
);
--> statement-breakpoint
CREATE TABLE `fact_refusals` (
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`node_id` text NOT NULL,
	`day` integer NOT NULL,
	`reason` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`journey_id`, `version`, `node_id`, `day`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `fact_segment_moves` (
	`journey_id` text NOT NULL,
	`week` integer NOT NULL,
	`from_segment` text NOT NULL,
	`to_segment` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`journey_id`, `week`, `from_segment`, `to_segment`)
);
--> statement-breakpoint
CREATE TABLE `fact_spend` (
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`node_id` text NOT NULL,
	`day` integer NOT NULL,
	`unit` text NOT NULL,
	`budget_id` text NOT NULL,
	`grants` integer NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`journey_id`, `version`, `node_id`, `day`, `unit`, `budget_id`)
);
--> statement-breakpoint
CREATE TABLE `fact_visits` (
	`journey_id` text NOT NULL,
	`user_id` text NOT NULL,
	`entry` integer NOT NULL,
	`node_id` text NOT NULL,
	`version` integer NOT NULL,
	`ord` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`journey_id`, `user_id`, `entry`, `node_id`)
);
--> statement-breakpoint
CREATE INDEX `fact_visits_node` ON `fact_visits` (`journey_id`,`node_id`,`user_id`,`entry`,`ord`);--> statement-breakpoint
CREATE TABLE `report_cursors` (
	`source` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL
);
