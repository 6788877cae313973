CREATE TABLE "nextcloud_provisioning" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"state" varchar(16) DEFAULT 'pending' NOT NULL,
	"want_enabled" boolean DEFAULT true NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" varchar(500),
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"provisioned_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "nextcloud_provisioning" ADD CONSTRAINT "nextcloud_provisioning_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "nextcloud_provisioning_due_idx" ON "nextcloud_provisioning" USING btree ("state","next_attempt_at");