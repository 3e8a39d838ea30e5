CREATE TABLE `fact_holdouts` (
	`journey_id` text NOT NULL,
	`user_id` text NOT NULL,
	`held_at` integer NOT NULL,
	`converted_at` integer,
	PRIMARY KEY(`journey_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `fact_holdouts_held` ON `fact_holdouts` (`journey_id`,`held_at`);