CREATE TABLE "probe" (
	"id" integer PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "timeline" ADD COLUMN "recorded_at" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "timeline_recorded" ON "timeline" USING btree ("recorded_at");--> statement-breakpoint
-- Rows written before this column existed were recorded no earlier than their step: keep trimming them by it.
UPDATE "timeline" SET "recorded_at" = "at";
