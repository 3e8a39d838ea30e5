CREATE TABLE "coupon_pool_codes" (
	"pool" text NOT NULL,
	"idx" bigint NOT NULL,
	"code" text NOT NULL,
	"added_at" bigint NOT NULL,
	CONSTRAINT "coupon_pool_codes_pool_idx_pk" PRIMARY KEY("pool","idx")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_pool_code" ON "coupon_pool_codes" USING btree ("pool","code");