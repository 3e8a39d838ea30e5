CREATE TABLE `catalog_items` (
	`id` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_zh` text NOT NULL,
	`points` integer NOT NULL,
	`stock` integer,
	`per_person_limit` integer,
	`retired_at` text,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `catalog_redemptions` (
	`key` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`user_id` text NOT NULL,
	`points` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`spent_at` text,
	`balance` integer,
	FOREIGN KEY (`item_id`) REFERENCES `catalog_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `catalog_redemptions_item_user` ON `catalog_redemptions` (`item_id`,`user_id`);