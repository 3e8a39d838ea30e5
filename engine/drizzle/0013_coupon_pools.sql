CREATE TABLE `coupon_pool_codes` (
	`pool` text NOT NULL,
	`idx` integer NOT NULL,
	`code` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`pool`, `idx`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coupon_pool_code` ON `coupon_pool_codes` (`pool`,`code`);