import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrations (issue 22): API keys of providers' own systems (stored as SHA-256 hashes), webhook
 * endpoints (their signing secrets encrypted with the application key) owned by a provider, an
 * organisation or the programme, and webhook deliveries: outbox rows written in the transaction of
 * the change they announce, claimed like the mail outbox (status, attempts, next_attempt_at,
 * locked_until). Offerings get the provider's own course code, which the catalogue import matches on.
 */
export class Integrations1796900000000 implements MigrationInterface {
  name = 'Integrations1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider_id" uuid NOT NULL, "name" character varying(100) NOT NULL,
         "key_hash" character(64) NOT NULL, "key_prefix" character varying(12) NOT NULL, "created_by_user_id" uuid,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE,
         CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"), CONSTRAINT "uq_api_keys_key_hash" UNIQUE ("key_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_keys_provider" ON "api_keys" ("provider_id", "created_at")`);
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_provider" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_kind" character varying(12) NOT NULL,
         "provider_id" uuid, "organisation_id" uuid, "url" character varying(2000) NOT NULL, "description" character varying(200),
         "events" character varying(40) array NOT NULL, "secret_encrypted" text NOT NULL, "enabled" boolean NOT NULL DEFAULT true,
         "disabled_reason" character varying(40), "disabled_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE,
         "created_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "pk_webhook_endpoints" PRIMARY KEY ("id"),
         CONSTRAINT "ck_webhook_endpoints_owner" CHECK (("owner_kind" = 'provider' AND "provider_id" IS NOT NULL AND "organisation_id" IS NULL)
           OR ("owner_kind" = 'organisation' AND "organisation_id" IS NOT NULL AND "provider_id" IS NULL)
           OR ("owner_kind" = 'programme' AND "provider_id" IS NULL AND "organisation_id" IS NULL)))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_provider" ON "webhook_endpoints" ("provider_id")`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_organisation" ON "webhook_endpoints" ("organisation_id")`);
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "fk_webhook_endpoints_provider" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "fk_webhook_endpoints_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "endpoint_id" uuid NOT NULL, "event_type" character varying(40) NOT NULL,
         "body" text NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT 0,
         "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" text,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE,
         CONSTRAINT "pk_webhook_deliveries" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_webhook_deliveries_due" ON "webhook_deliveries" ("status", "next_attempt_at")`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "created_at")`);
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "fk_webhook_deliveries_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "offerings" ADD "course_code" character varying(60)`);
    // NULLs are distinct: offerings without a code are not constrained.
    await queryRunner.query(`ALTER TABLE "offerings" ADD CONSTRAINT "uq_offerings_provider_course_code" UNIQUE ("provider_id", "course_code")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offerings" DROP CONSTRAINT "uq_offerings_provider_course_code"`);
    await queryRunner.query(`ALTER TABLE "offerings" DROP COLUMN "course_code"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
