ALTER TABLE `fact_grants` ADD `redeemed_at` integer;--> statement-breakpoint
ALTER TABLE `fact_grants` ADD `expired_at` integer;