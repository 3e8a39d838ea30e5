CREATE TABLE `schedules` (
	`key` text PRIMARY KEY NOT NULL,
	`next_at` integer,
	`cursor` text
);
