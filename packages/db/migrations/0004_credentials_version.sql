CREATE TABLE "login_failures" (
	"email_hash" varchar(64) PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "credentials_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "credentials_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "dedupe_key" varchar(200);--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_dedupe_key_idx" ON "audit_events" USING btree ("dedupe_key");