import { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogueTables1795720428179 implements MigrationInterface {
  name = 'CatalogueTables1795720428179';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "providers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "kind" character varying(30) NOT NULL, "org_number" character(11), "municipality_code" character(4), "website" character varying(300), "contact_email" character varying(254), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_providers_name" UNIQUE ("name"), CONSTRAINT "pk_providers" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "provider_staff" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider_id" uuid NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_provider_staff_provider_user" UNIQUE ("provider_id", "user_id"), CONSTRAINT "pk_provider_staff" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_provider_staff_user" ON "provider_staff"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "offerings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "provider_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL, "theme_codes" character varying(60) array NOT NULL, "format" character varying(60) NOT NULL, "language" character varying(5) NOT NULL DEFAULT 'sv', "level" character varying(20), "target_groups" character varying(30) array NOT NULL, "accessibility_features" character varying(60) array NOT NULL DEFAULT '{}', "hours" numeric(6,1), "price_sek" integer NOT NULL DEFAULT '0', "contact_email" character varying(254), "status" character varying(12) NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP WITH TIME ZONE, "archived_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_offerings_price" CHECK ("price_sek" >= 0), CONSTRAINT "pk_offerings" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_offerings_status" ON "offerings"  ("status") `);
    // Array filters (themes, accessibility features, target groups) use GIN indexes.
    await queryRunner.query(`CREATE INDEX "ix_offerings_theme_codes" ON "offerings" USING GIN ("theme_codes")`);
    await queryRunner.query(`CREATE INDEX "ix_offerings_accessibility_features" ON "offerings" USING GIN ("accessibility_features")`);
    await queryRunner.query(`CREATE INDEX "ix_offerings_target_groups" ON "offerings" USING GIN ("target_groups")`);
    await queryRunner.query(`CREATE INDEX "ix_offerings_provider" ON "offerings"  ("provider_id") `);
    await queryRunner.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "offering_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "municipality_code" character(4), "online" boolean NOT NULL DEFAULT false, "venue" character varying(300), "online_url" character varying(500), "capacity" integer NOT NULL, "seats_taken" integer NOT NULL DEFAULT '0', "booking_opens_at" TIMESTAMP WITH TIME ZONE, "booking_closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cancellation_deadline" TIMESTAMP WITH TIME ZONE, "requires_approval" boolean NOT NULL DEFAULT false, "waitlist_mode" character varying(10) NOT NULL DEFAULT 'offer', "status" character varying(12) NOT NULL DEFAULT 'scheduled', "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancellation_reason" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_sessions_times" CHECK ("ends_at" > "starts_at"), CONSTRAINT "ck_sessions_seats_taken" CHECK ("seats_taken" >= 0 AND "seats_taken" <= "capacity"), CONSTRAINT "ck_sessions_capacity" CHECK ("capacity" BETWEEN 1 AND 10000), CONSTRAINT "pk_sessions" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_sessions_municipality" ON "sessions"  ("municipality_code") `);
    await queryRunner.query(`CREATE INDEX "ix_sessions_starts" ON "sessions"  ("starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_sessions_offering_starts" ON "sessions"  ("offering_id", "starts_at") `);
    await queryRunner.query(`ALTER TABLE "providers" ADD CONSTRAINT "fk_providers_municipality" FOREIGN KEY ("municipality_code") REFERENCES "municipalities"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "provider_staff" ADD CONSTRAINT "fk_provider_staff_provider" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "provider_staff" ADD CONSTRAINT "fk_provider_staff_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "offerings" ADD CONSTRAINT "fk_offerings_provider" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "offerings" ADD CONSTRAINT "fk_offerings_format" FOREIGN KEY ("format") REFERENCES "formats"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_offering" FOREIGN KEY ("offering_id") REFERENCES "offerings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "fk_sessions_municipality" FOREIGN KEY ("municipality_code") REFERENCES "municipalities"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_municipality"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "fk_sessions_offering"`);
    await queryRunner.query(`ALTER TABLE "offerings" DROP CONSTRAINT "fk_offerings_format"`);
    await queryRunner.query(`ALTER TABLE "offerings" DROP CONSTRAINT "fk_offerings_provider"`);
    await queryRunner.query(`ALTER TABLE "provider_staff" DROP CONSTRAINT "fk_provider_staff_user"`);
    await queryRunner.query(`ALTER TABLE "provider_staff" DROP CONSTRAINT "fk_provider_staff_provider"`);
    await queryRunner.query(`ALTER TABLE "providers" DROP CONSTRAINT "fk_providers_municipality"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_offering_starts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_starts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_municipality"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_offerings_provider"`);
    await queryRunner.query(`DROP INDEX "public"."ix_offerings_target_groups"`);
    await queryRunner.query(`DROP INDEX "public"."ix_offerings_accessibility_features"`);
    await queryRunner.query(`DROP INDEX "public"."ix_offerings_theme_codes"`);
    await queryRunner.query(`DROP INDEX "public"."ix_offerings_status"`);
    await queryRunner.query(`DROP TABLE "offerings"`);
    await queryRunner.query(`DROP INDEX "public"."ix_provider_staff_user"`);
    await queryRunner.query(`DROP TABLE "provider_staff"`);
    await queryRunner.query(`DROP TABLE "providers"`);
  }
}
