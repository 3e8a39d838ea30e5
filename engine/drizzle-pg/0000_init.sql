CREATE TABLE "counters" (
	"key" text PRIMARY KEY NOT NULL,
	"used" bigint NOT NULL,
	"cap" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"user_id" text NOT NULL,
	"type" text NOT NULL,
	"at" bigint NOT NULL,
	"props" text NOT NULL,
	"received_at" bigint NOT NULL,
	"status" text DEFAULT 'applied' NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "feed" (
	"id" integer PRIMARY KEY NOT NULL,
	"etag" text,
	"body" text NOT NULL,
	"fetched_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"part" smallint PRIMARY KEY NOT NULL,
	"owner" text,
	"expires_at" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"grant_key" text NOT NULL,
	"user_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"node_id" text NOT NULL,
	"type" text NOT NULL,
	"amount" bigint,
	"code" text,
	"unit" text NOT NULL,
	"budget_id" text,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"user_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"node_id" text NOT NULL,
	"channel" text NOT NULL,
	"payload" text NOT NULL,
	"created_at" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"last_error" text,
	"delivered_at" bigint,
	"part" smallint GENERATED ALWAYS AS ((hashtext(user_id) & 2147483647) % 32) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"key" text PRIMARY KEY NOT NULL,
	"next_at" bigint,
	"cursor" text
);
--> statement-breakpoint
CREATE TABLE "timeline" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"at" bigint NOT NULL,
	"record" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"user_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"due_at" bigint NOT NULL,
	"part" smallint GENERATED ALWAYS AS ((hashtext(user_id) & 2147483647) % 32) STORED NOT NULL,
	CONSTRAINT "timers_user_id_journey_id_pk" PRIMARY KEY("user_id","journey_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" text PRIMARY KEY NOT NULL,
	"seen_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "events_id" ON "events" USING btree ("id");--> statement-breakpoint
CREATE INDEX "events_user" ON "events" USING btree ("user_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_grant_key" ON "ledger" USING btree ("grant_key");--> statement-breakpoint
CREATE INDEX "ledger_user" ON "ledger" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "ledger_journey" ON "ledger" USING btree ("journey_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_key" ON "outbox" USING btree ("key");--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("status","part","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_user" ON "outbox" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "timeline_user" ON "timeline" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "timeline_at" ON "timeline" USING btree ("at");--> statement-breakpoint
CREATE INDEX "timers_due" ON "timers" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "timers_part_due" ON "timers" USING btree ("part","due_at");