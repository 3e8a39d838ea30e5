CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`journey_id` text NOT NULL,
	`status` text NOT NULL,
	`base_version` integer,
	`document` text NOT NULL,
	`draft_revision` integer NOT NULL,
	`cost` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`in_flight` text NOT NULL,
	`requested_at` text NOT NULL,
	`requested_by_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`decided_at` text,
	`decided_by_id` text,
	`decided_by` text,
	`reason` text,
	`version` integer,
	FOREIGN KEY (`journey_id`) REFERENCES `journeys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `approvals_status` ON `approvals` (`status`,`requested_at`);--> statement-breakpoint
CREATE INDEX `approvals_journey` ON `approvals` (`journey_id`,`status`);--> statement-breakpoint
CREATE TABLE `forbidden_phrases` (
	`id` text PRIMARY KEY NOT NULL,
	`phrase` text NOT NULL,
	`rule` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forbidden_phrases_phrase` ON `forbidden_phrases` (`phrase`);--> statement-breakpoint
ALTER TABLE `workspace` ADD `require_approval` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `workspace` ADD `risk_notice` text;