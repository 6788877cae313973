ALTER TABLE "users" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "users_last_login_id_idx" ON "users" USING btree ("last_login" NULLS FIRST,"id");