ALTER TABLE "fact_grants" ADD COLUMN "redeemed_at" bigint;--> statement-breakpoint
ALTER TABLE "fact_grants" ADD COLUMN "expired_at" bigint;