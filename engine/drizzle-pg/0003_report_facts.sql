CREATE TABLE "fact_activity" (
	"time_zone" text NOT NULL,
	"user_id" text NOT NULL,
	"day" integer NOT NULL,
	CONSTRAINT "fact_activity_time_zone_user_id_day_pk" PRIMARY KEY("time_zone","user_id","day")
);
--> statement-breakpoint
CREATE TABLE "fact_arms" (
	"journey_id" text NOT NULL,
	"node_id" text NOT NULL,
	"user_id" text NOT NULL,
	"entry" integer NOT NULL,
	"version" integer NOT NULL,
	"arm" text NOT NULL,
	CONSTRAINT "fact_arms_journey_id_node_id_user_id_entry_pk" PRIMARY KEY("journey_id","node_id","user_id","entry")
);
--> statement-breakpoint
CREATE TABLE "fact_entries" (
	"journey_id" text NOT NULL,
	"user_id" text NOT NULL,
	"entry" integer NOT NULL,
	"version" integer NOT NULL,
	"run_version" integer NOT NULL,
	"entered_at" bigint NOT NULL,
	"cohort_day" integer NOT NULL,
	"converted_at" bigint,
	"exit_reason" text,
	"exited_at" bigint,
	"node_id" text NOT NULL,
	"handle" text NOT NULL,
	"visits" integer NOT NULL,
	"time_zone" text DEFAULT '' NOT NULL,
	"active_d1" integer DEFAULT 0 NOT NULL,
	"active_d7" integer DEFAULT 0 NOT NULL,
	"active_d30" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "fact_entries_journey_id_user_id_entry_pk" PRIMARY KEY("journey_id","user_id","entry")
);
--> statement-breakpoint
CREATE TABLE "fact_grants" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"node_id" text NOT NULL,
	"user_id" text NOT NULL,
	"entry" integer NOT NULL,
	"at" bigint NOT NULL,
	"day" integer NOT NULL,
	"type" text NOT NULL,
	"unit" text NOT NULL,
	"amount" bigint NOT NULL,
	"budget_id" text,
	"returned_at" bigint
);
--> statement-breakpoint
CREATE TABLE "fact_node_days" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"node_id" text NOT NULL,
	"handle" text NOT NULL,
	"day" integer NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "fact_node_days_journey_id_version_node_id_handle_day_pk" PRIMARY KEY("journey_id","version","node_id","handle","day")
);
--> statement-breakpoint
CREATE TABLE "fact_refusals" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"node_id" text NOT NULL,
	"day" integer NOT NULL,
	"reason" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "fact_refusals_journey_id_version_node_id_day_reason_pk" PRIMARY KEY("journey_id","version","node_id","day","reason")
);
--> statement-breakpoint
CREATE TABLE "fact_segment_moves" (
	"journey_id" text NOT NULL,
	"week" integer NOT NULL,
	"from_segment" text NOT NULL,
	"to_segment" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "fact_segment_moves_journey_id_week_from_segment_to_segment_pk" PRIMARY KEY("journey_id","week","from_segment","to_segment")
);
--> statement-breakpoint
CREATE TABLE "fact_spend" (
	"journey_id" text NOT NULL,
	"version" integer NOT NULL,
	"node_id" text NOT NULL,
	"day" integer NOT NULL,
	"unit" text NOT NULL,
	"budget_id" text NOT NULL,
	"grants" bigint NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "fact_spend_journey_id_version_node_id_day_unit_budget_id_pk" PRIMARY KEY("journey_id","version","node_id","day","unit","budget_id")
);
--> statement-breakpoint
CREATE TABLE "fact_visits" (
	"journey_id" text NOT NULL,
	"user_id" text NOT NULL,
	"entry" integer NOT NULL,
	"node_id" text NOT NULL,
	"version" integer NOT NULL,
	"ord" integer NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "fact_visits_journey_id_user_id_entry_node_id_pk" PRIMARY KEY("journey_id","user_id","entry","node_id")
);
--> statement-breakpoint
CREATE TABLE "report_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"fence_seq" bigint,
	"fence_xid" bigint
);
--> statement-breakpoint
CREATE TABLE "report_folded" (
	"source" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "report_folded_source_seq_pk" PRIMARY KEY("source","seq")
);
--> statement-breakpoint
CREATE INDEX "fact_arms_arm" ON "fact_arms" USING btree ("journey_id","node_id","arm");--> statement-breakpoint
CREATE INDEX "fact_entries_user_day" ON "fact_entries" USING btree ("user_id","time_zone","cohort_day");--> statement-breakpoint
CREATE INDEX "fact_entries_cohort" ON "fact_entries" USING btree ("journey_id","version","cohort_day");--> statement-breakpoint
CREATE INDEX "fact_entries_state" ON "fact_entries" USING btree ("journey_id","exit_reason","node_id");--> statement-breakpoint
CREATE INDEX "fact_entries_converted" ON "fact_entries" USING btree ("journey_id","converted_at");--> statement-breakpoint
CREATE INDEX "fact_grants_entry" ON "fact_grants" USING btree ("journey_id","user_id","entry");--> statement-breakpoint
CREATE INDEX "fact_grants_node" ON "fact_grants" USING btree ("journey_id","node_id","type");--> statement-breakpoint
CREATE INDEX "fact_grants_open" ON "fact_grants" USING btree ("user_id","returned_at","at");--> statement-breakpoint
CREATE INDEX "fact_visits_node" ON "fact_visits" USING btree ("journey_id","node_id","user_id","entry","ord");