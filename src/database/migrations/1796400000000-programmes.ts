import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Programmes (the programmes module): programmes, their interventions, the offerings that deliver
 * them (an offering at most once), and which needs rounds a programme was drafted from.
 */
export class Programmes1796400000000 implements MigrationInterface {
  name = 'Programmes1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "programmes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" character varying(200) NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "funding_source" character varying(20) NOT NULL, "budget_sek" bigint NOT NULL, "unit_cost_per_hour_sek" numeric(10,2), "esf_reporting" boolean NOT NULL DEFAULT false, "time_cosign" boolean NOT NULL DEFAULT false, "final_payment_year" integer, "created_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_programmes_final_payment_year" CHECK ("final_payment_year" BETWEEN 2000 AND 2100), CONSTRAINT "ck_programmes_funding_source" CHECK ("funding_source" IN ('esf_plus', 'region', 'municipality', 'other')), CONSTRAINT "ck_programmes_unit_cost" CHECK ("unit_cost_per_hour_sek" >= 0), CONSTRAINT "ck_programmes_budget" CHECK ("budget_sek" >= 0), CONSTRAINT "ck_programmes_period" CHECK ("ends_on" >= "starts_on"), CONSTRAINT "pk_programmes" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "interventions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "programme_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "theme_code" character varying(60) NOT NULL, "target_groups" character varying(30) array NOT NULL, "format" character varying(60) NOT NULL, "counties" character(2) array NOT NULL, "planned_participants" integer NOT NULL, "planned_women" integer, "planned_men" integer, "hours_per_participant" numeric(6,1) NOT NULL, "provider_id" uuid, "cost_sek" bigint NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'proposed', "source_round_id" uuid, "explanation" jsonb, "approved_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_interventions_status" CHECK ("status" IN ('proposed', 'approved', 'cancelled')), CONSTRAINT "ck_interventions_cost" CHECK ("cost_sek" >= 0), CONSTRAINT "ck_interventions_hours" CHECK ("hours_per_participant" > 0), CONSTRAINT "ck_interventions_gender" CHECK ("planned_women" >= 0 AND "planned_men" >= 0 AND COALESCE("planned_women", 0) + COALESCE("planned_men", 0) <= "planned_participants"), CONSTRAINT "ck_interventions_participants" CHECK ("planned_participants" >= 0), CONSTRAINT "ck_interventions_period" CHECK ("ends_on" >= "starts_on"), CONSTRAINT "pk_interventions" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_interventions_programme_round" ON "interventions"  ("programme_id", "source_round_id") `);
    await queryRunner.query(`CREATE INDEX "ix_interventions_programme" ON "interventions"  ("programme_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "intervention_offerings" ("offering_id" uuid NOT NULL, "intervention_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_intervention_offerings" PRIMARY KEY ("offering_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_intervention_offerings_intervention" ON "intervention_offerings"  ("intervention_id") `);
    await queryRunner.query(`CREATE TABLE "programme_drafts" ("programme_id" uuid NOT NULL, "round_id" uuid NOT NULL, "proposals" integer NOT NULL, "created_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_programme_drafts" PRIMARY KEY ("programme_id", "round_id"))`);
    await queryRunner.query(`ALTER TABLE "interventions" ADD CONSTRAINT "fk_interventions_programme" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "interventions" ADD CONSTRAINT "fk_interventions_theme" FOREIGN KEY ("theme_code") REFERENCES "themes"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "interventions" ADD CONSTRAINT "fk_interventions_format" FOREIGN KEY ("format") REFERENCES "formats"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "interventions" ADD CONSTRAINT "fk_interventions_provider" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "intervention_offerings" ADD CONSTRAINT "fk_intervention_offerings_offering" FOREIGN KEY ("offering_id") REFERENCES "offerings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "intervention_offerings" ADD CONSTRAINT "fk_intervention_offerings_intervention" FOREIGN KEY ("intervention_id") REFERENCES "interventions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "programme_drafts" ADD CONSTRAINT "fk_programme_drafts_programme" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "programme_drafts" DROP CONSTRAINT "fk_programme_drafts_programme"`);
    await queryRunner.query(`ALTER TABLE "intervention_offerings" DROP CONSTRAINT "fk_intervention_offerings_intervention"`);
    await queryRunner.query(`ALTER TABLE "intervention_offerings" DROP CONSTRAINT "fk_intervention_offerings_offering"`);
    await queryRunner.query(`ALTER TABLE "interventions" DROP CONSTRAINT "fk_interventions_provider"`);
    await queryRunner.query(`ALTER TABLE "interventions" DROP CONSTRAINT "fk_interventions_format"`);
    await queryRunner.query(`ALTER TABLE "interventions" DROP CONSTRAINT "fk_interventions_theme"`);
    await queryRunner.query(`ALTER TABLE "interventions" DROP CONSTRAINT "fk_interventions_programme"`);
    await queryRunner.query(`DROP TABLE "programme_drafts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_intervention_offerings_intervention"`);
    await queryRunner.query(`DROP TABLE "intervention_offerings"`);
    await queryRunner.query(`DROP INDEX "public"."ix_interventions_programme"`);
    await queryRunner.query(`DROP INDEX "public"."ix_interventions_programme_round"`);
    await queryRunner.query(`DROP TABLE "interventions"`);
    await queryRunner.query(`DROP TABLE "programmes"`);
  }
}
