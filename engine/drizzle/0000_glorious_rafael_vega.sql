CREATE TABLE `counters` (
	`key` text PRIMARY KEY NOT NULL,
	`used` integer NOT NULL,
	`cap` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`user_id` text NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`props` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text DEFAULT 'applied' NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_id` ON `events` (`id`);--> statement-breakpoint
CREATE INDEX `events_user` ON `events` (`user_id`,`seq`);--> statement-breakpoint
CREATE TABLE `feed` (
	`id` integer PRIMARY KEY NOT NULL,
	`etag` text,
	`body` text NOT NULL,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`grant_key` text NOT NULL,
	`user_id` text NOT NULL,
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`node_id` text NOT NULL,
	`type` text NOT NULL,
	`amount` integer,
	`code` text,
	`unit` text NOT NULL,
	`budget_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_grant_key` ON `ledger` (`grant_key`);--> statement-breakpoint
CREATE INDEX `ledger_user` ON `ledger` (`user_id`,`seq`);--> statement-breakpoint
CREATE INDEX `ledger_journey` ON `ledger` (`journey_id`,`seq`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text NOT NULL,
	`journey_id` text NOT NULL,
	`node_id` text NOT NULL,
	`channel` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_pending` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_user` ON `outbox` (`user_id`,`seq`);--> statement-breakpoint
CREATE TABLE `timeline` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`at` integer NOT NULL,
	`record` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `timeline_user` ON `timeline` (`user_id`,`seq`);--> statement-breakpoint
CREATE TABLE `timers` (
	`user_id` text NOT NULL,
	`journey_id` text NOT NULL,
	`due_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `journey_id`)
);
--> statement-breakpoint
CREATE INDEX `timers_due` ON `timers` (`due_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`user_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL
);
