CREATE TABLE "applier_cursors" (
	"part" smallint PRIMARY KEY NOT NULL,
	"xid" bigint NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "xid" bigint DEFAULT (pg_current_xact_id()::text::bigint) NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "part" smallint GENERATED ALWAYS AS ((hashtext(user_id) & 2147483647) % 32) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "events_part_xid" ON "events" USING btree ("part","xid","seq");--> statement-breakpoint
-- Before the log-first appliers every event was applied in the transaction that stored it: each
-- partition's cursor starts past them all (the rows above got this migration's xid as their own).
INSERT INTO "applier_cursors" ("part", "xid", "seq") SELECT p, pg_current_xact_id()::text::bigint, coalesce((SELECT max("seq") FROM "events"), 0) FROM generate_series(0, 31) AS p;
