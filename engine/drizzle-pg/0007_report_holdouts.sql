CREATE TABLE "fact_holdouts" (
	"journey_id" text NOT NULL,
	"user_id" text NOT NULL,
	"held_at" bigint NOT NULL,
	"converted_at" bigint,
	CONSTRAINT "fact_holdouts_journey_id_user_id_pk" PRIMARY KEY("journey_id","user_id")
);
--> statement-breakpoint
CREATE INDEX "fact_holdouts_held" ON "fact_holdouts" USING btree ("journey_id","held_at");