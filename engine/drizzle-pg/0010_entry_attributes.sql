CREATE TABLE "fact_entry_attributes" (
	"journey_id" text NOT NULL,
	"user_id" text NOT NULL,
	"entry" integer NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "fact_entry_attributes_journey_id_user_id_entry_name_pk" PRIMARY KEY("journey_id","user_id","entry","name")
);
--> statement-breakpoint
CREATE INDEX "fact_entry_attributes_value" ON "fact_entry_attributes" USING btree ("journey_id","name","value");