CREATE TABLE "offline_allowances" (
	"activation_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"credit_limit" bigint DEFAULT 0 NOT NULL,
	"reported" bigint DEFAULT 0 NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "licenses" ADD COLUMN "unusable_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "offline_allowances" ADD CONSTRAINT "offline_allowances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offline_allowances_user_idx" ON "offline_allowances" USING btree ("user_id","expires_at");