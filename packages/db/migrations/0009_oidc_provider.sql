CREATE TABLE "oidc_clients" (
	"client_id" varchar(64) PRIMARY KEY NOT NULL,
	"name" varchar(120) NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"secret_key_version" integer NOT NULL,
	"redirect_uris" text[] NOT NULL,
	"post_logout_redirect_uris" text[] DEFAULT '{}'::text[] NOT NULL,
	"backchannel_logout_uri" text,
	"secret_rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oidc_logout_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" varchar(64) NOT NULL,
	"user_id" uuid,
	"sid" varchar(255),
	"jti" varchar(64) NOT NULL,
	"state" varchar(16) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" varchar(500),
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "oidc_provider_records" (
	"model" varchar(40) NOT NULL,
	"id" varchar(255) NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" varchar(255),
	"user_code" varchar(255),
	"uid" varchar(255),
	"account_id" varchar(255),
	"consumed" boolean DEFAULT false NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oidc_provider_records_model_id_pk" PRIMARY KEY("model","id")
);
--> statement-breakpoint
CREATE TABLE "oidc_signing_keys" (
	"kid" varchar(64) PRIMARY KEY NOT NULL,
	"alg" varchar(16) NOT NULL,
	"private_jwk_ciphertext" text NOT NULL,
	"key_version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"publish_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "amr" varchar(8)[] DEFAULT '{}'::varchar[] NOT NULL;--> statement-breakpoint
ALTER TABLE "oidc_logout_outbox" ADD CONSTRAINT "oidc_logout_outbox_client_id_oidc_clients_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oidc_clients"("client_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_logout_outbox" ADD CONSTRAINT "oidc_logout_outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oidc_logout_outbox_due_idx" ON "oidc_logout_outbox" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "oidc_provider_records_grant_id_idx" ON "oidc_provider_records" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "oidc_provider_records_user_code_idx" ON "oidc_provider_records" USING btree ("user_code");--> statement-breakpoint
CREATE INDEX "oidc_provider_records_uid_idx" ON "oidc_provider_records" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "oidc_provider_records_account_id_idx" ON "oidc_provider_records" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "oidc_provider_records_expires_at_idx" ON "oidc_provider_records" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_signing_keys_one_current_key" ON "oidc_signing_keys" USING btree ((true)) WHERE "oidc_signing_keys"."retired_at" is null;