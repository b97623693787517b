import { MigrationInterface, QueryRunner } from 'typeorm';

export class NeedsTables1795720612598 implements MigrationInterface {
  name = 'NeedsTables1795720612598';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "needs_rounds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" character varying(200) NOT NULL, "description" text, "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(10) NOT NULL DEFAULT 'draft', "invite_scope" character varying(20) NOT NULL, "invite_values" character varying(60) array NOT NULL DEFAULT '{}', "created_by_user_id" uuid, "opened_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_needs_rounds_dates" CHECK ("closes_at" > "opens_at"), CONSTRAINT "pk_needs_rounds" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_needs_rounds_status_closes" ON "needs_rounds"  ("status", "closes_at") `);
    await queryRunner.query(`CREATE TABLE "needs_round_organisations" ("round_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "municipality_code" character(4) NOT NULL, "county_code" character(2) NOT NULL, "legal_form" character varying(30) NOT NULL, "sector" character varying(20) NOT NULL, "invited_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reminded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_needs_round_organisations" PRIMARY KEY ("round_id", "organisation_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_needs_round_organisations_org" ON "needs_round_organisations"  ("organisation_id") `);
    await queryRunner.query(`CREATE TABLE "needs_assessments" ("round_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "gender_plan" character varying(20), "gender_trained" boolean, "gender_wants_training" boolean, "accessibility_knowledge" smallint, "accessibility_wants_training" boolean, "support_needs" character varying(40) array NOT NULL DEFAULT '{}', "support_comment" character varying(2000), "preferred_provider_ids" uuid array NOT NULL DEFAULT '{}', "preferred_providers_other" character varying(1000), "follow_up_methods" character varying(40) array NOT NULL DEFAULT '{}', "follow_up_comment" character varying(2000), "channels" character varying(40) array NOT NULL DEFAULT '{}', "channels_other" character varying(1000), "cooperating_projects" character varying(200) array NOT NULL DEFAULT '{}', "cooperation_comment" character varying(2000), "updated_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_needs_assessments_accessibility_knowledge" CHECK ("accessibility_knowledge" BETWEEN 1 AND 5), CONSTRAINT "pk_needs_assessments" PRIMARY KEY ("round_id", "organisation_id"))`);
    await queryRunner.query(`CREATE TABLE "needs_statements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "round_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "person_user_id" uuid, "created_by_user_id" uuid, "theme_code" character varying(60) NOT NULL, "people" integer NOT NULL, "women" integer, "men" integer, "other_gender" integer, "preferred_formats" character varying(60) array NOT NULL, "municipality_code" character(4), "online" boolean NOT NULL DEFAULT false, "preferred_periods" character varying(10) array NOT NULL DEFAULT '{}', "preferred_time_of_day" character varying(10), "priority" character varying(10), "accessibility_needs" character varying(60) array NOT NULL DEFAULT '{}', "comment" character varying(2000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_needs_statements_gender" CHECK ("women" >= 0 AND "men" >= 0 AND "other_gender" >= 0 AND COALESCE("women", 0) + COALESCE("men", 0) + COALESCE("other_gender", 0) <= "people"), CONSTRAINT "ck_needs_statements_people" CHECK ("people" BETWEEN 1 AND 100000), CONSTRAINT "pk_needs_statements" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_needs_statements_person" ON "needs_statements"  ("person_user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_needs_statements_round_org" ON "needs_statements"  ("round_id", "organisation_id") `);
    await queryRunner.query(`ALTER TABLE "needs_round_organisations" ADD CONSTRAINT "fk_needs_round_organisations_round" FOREIGN KEY ("round_id") REFERENCES "needs_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "needs_round_organisations" ADD CONSTRAINT "fk_needs_round_organisations_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "needs_assessments" ADD CONSTRAINT "fk_needs_assessments_round_organisation" FOREIGN KEY ("round_id", "organisation_id") REFERENCES "needs_round_organisations"("round_id","organisation_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "needs_statements" ADD CONSTRAINT "fk_needs_statements_round_organisation" FOREIGN KEY ("round_id", "organisation_id") REFERENCES "needs_round_organisations"("round_id","organisation_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "needs_statements" ADD CONSTRAINT "fk_needs_statements_person" FOREIGN KEY ("person_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "needs_statements" ADD CONSTRAINT "fk_needs_statements_theme" FOREIGN KEY ("theme_code") REFERENCES "themes"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "needs_statements" ADD CONSTRAINT "fk_needs_statements_municipality" FOREIGN KEY ("municipality_code") REFERENCES "municipalities"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "needs_statements" DROP CONSTRAINT "fk_needs_statements_municipality"`);
    await queryRunner.query(`ALTER TABLE "needs_statements" DROP CONSTRAINT "fk_needs_statements_theme"`);
    await queryRunner.query(`ALTER TABLE "needs_statements" DROP CONSTRAINT "fk_needs_statements_person"`);
    await queryRunner.query(`ALTER TABLE "needs_statements" DROP CONSTRAINT "fk_needs_statements_round_organisation"`);
    await queryRunner.query(`ALTER TABLE "needs_assessments" DROP CONSTRAINT "fk_needs_assessments_round_organisation"`);
    await queryRunner.query(`ALTER TABLE "needs_round_organisations" DROP CONSTRAINT "fk_needs_round_organisations_organisation"`);
    await queryRunner.query(`ALTER TABLE "needs_round_organisations" DROP CONSTRAINT "fk_needs_round_organisations_round"`);
    await queryRunner.query(`DROP INDEX "public"."ix_needs_statements_round_org"`);
    await queryRunner.query(`DROP INDEX "public"."ix_needs_statements_person"`);
    await queryRunner.query(`DROP TABLE "needs_statements"`);
    await queryRunner.query(`DROP TABLE "needs_assessments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_needs_round_organisations_org"`);
    await queryRunner.query(`DROP TABLE "needs_round_organisations"`);
    await queryRunner.query(`DROP INDEX "public"."ix_needs_rounds_status_closes"`);
    await queryRunner.query(`DROP TABLE "needs_rounds"`);
  }
}
