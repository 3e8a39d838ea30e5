CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"hash" text NOT NULL,
	"source" text NOT NULL,
	"created_at" text NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" text
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"detail" text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journey_versions" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" text NOT NULL,
	"executable" text NOT NULL,
	"cost" text NOT NULL,
	"issues" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"in_flight" text NOT NULL,
	"published_at" text NOT NULL,
	"published_by" text NOT NULL,
	"draft_revision" integer NOT NULL,
	CONSTRAINT "journey_versions_journey_id_version_pk" PRIMARY KEY("journey_id","version")
);
--> statement-breakpoint
CREATE TABLE "journeys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"draft" text NOT NULL,
	"revision" integer NOT NULL,
	"issues" text NOT NULL,
	"cost" text,
	"error_count" integer NOT NULL,
	"warning_count" integer NOT NULL,
	"node_count" integer NOT NULL,
	"live_version" integer,
	"published_revision" integer,
	"created_at" text NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" text NOT NULL,
	"updated_by" text NOT NULL,
	"archived_at" text
);
--> statement-breakpoint
CREATE TABLE "profile_events" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"type" text NOT NULL,
	"at" bigint NOT NULL,
	"props" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"user_id" text PRIMARY KEY NOT NULL,
	"attributes" text NOT NULL,
	"event_count" integer NOT NULL,
	"first_seen_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"condition" text NOT NULL,
	"revision" integer NOT NULL,
	"created_at" text NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" text NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace" (
	"id" integer PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"feed_revision" integer DEFAULT 0 NOT NULL,
	"created_at" text NOT NULL,
	"samples_loaded_at" text
);
--> statement-breakpoint
ALTER TABLE "journey_versions" ADD CONSTRAINT "journey_versions_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "audit_subject" ON "audit_log" USING btree ("subject_type","subject_id","id");--> statement-breakpoint
CREATE INDEX "audit_action" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "journeys_status_updated" ON "journeys" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "journeys_updated" ON "journeys" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "profile_events_user_type_at" ON "profile_events" USING btree ("user_id","type","at");