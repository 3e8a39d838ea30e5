CREATE TABLE "catalog_items" (
	"id" text PRIMARY KEY NOT NULL,
	"name_en" text NOT NULL,
	"name_zh" text NOT NULL,
	"points" integer NOT NULL,
	"stock" integer,
	"per_person_limit" integer,
	"retired_at" text,
	"created_at" text NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" text NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog_redemptions" (
	"key" text PRIMARY KEY NOT NULL,
	"item_id" text NOT NULL,
	"user_id" text NOT NULL,
	"points" integer NOT NULL,
	"status" text NOT NULL,
	"created_at" text NOT NULL,
	"spent_at" text,
	"balance" integer
);
--> statement-breakpoint
ALTER TABLE "catalog_redemptions" ADD CONSTRAINT "catalog_redemptions_item_id_catalog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."catalog_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_redemptions_item_user" ON "catalog_redemptions" USING btree ("item_id","user_id");