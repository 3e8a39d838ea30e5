CREATE TABLE `fact_entry_attributes` (
	`journey_id` text NOT NULL,
	`user_id` text NOT NULL,
	`entry` integer NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`journey_id`, `user_id`, `entry`, `name`)
);
--> statement-breakpoint
CREATE INDEX `fact_entry_attributes_value` ON `fact_entry_attributes` (`journey_id`,`name`,`value`);