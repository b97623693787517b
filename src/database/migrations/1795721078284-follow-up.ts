import { MigrationInterface, QueryRunner } from 'typeorm';

export class FollowUp1795721078284 implements MigrationInterface {
  name = 'FollowUp1795721078284';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "questionnaires" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(60), "title" character varying(200) NOT NULL, "title_en" character varying(200), "questions" jsonb NOT NULL, "version" integer NOT NULL DEFAULT '1', "previous_id" uuid, "replaced_by_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_questionnaires_key" UNIQUE ("key"), CONSTRAINT "pk_questionnaires" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_questionnaires_previous" ON "questionnaires"  ("previous_id") `);
    await queryRunner.query(`CREATE TABLE "evaluation_invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "booking_id" uuid NOT NULL, "session_id" uuid NOT NULL, "offering_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "organisation_id" uuid, "theme_codes" character varying(60) array NOT NULL DEFAULT '{}', "plan_id" uuid NOT NULL, "step_position" integer NOT NULL, "questionnaire_id" uuid NOT NULL, "locale" character varying(2) NOT NULL DEFAULT 'sv', "status" character varying(12) NOT NULL DEFAULT 'scheduled', "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "reminder_after" character varying(40), "max_reminders" integer NOT NULL DEFAULT '0', "reminders_sent" integer NOT NULL DEFAULT '0', "next_reminder_at" TIMESTAMP WITH TIME ZONE, "answered_at" TIMESTAMP WITH TIME ZONE, "opted_out_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_evaluation_invitations" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_invitations_offering" ON "evaluation_invitations"  ("offering_id") `);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_invitations_user" ON "evaluation_invitations"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_invitations_reminder" ON "evaluation_invitations"  ("status", "next_reminder_at") `);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_invitations_due" ON "evaluation_invitations"  ("status", "due_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_evaluation_invitations_booking_step" ON "evaluation_invitations"  ("booking_id", "step_position") `);
    await queryRunner.query(`CREATE TABLE "evaluation_tokens" ("token_hash" character(64) NOT NULL, "invitation_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_evaluation_tokens" PRIMARY KEY ("token_hash"))`);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_tokens_invitation" ON "evaluation_tokens"  ("invitation_id") `);
    await queryRunner.query(`CREATE TABLE "evaluation_responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "questionnaire_id" uuid NOT NULL, "questionnaire_version" integer NOT NULL, "offering_id" uuid NOT NULL, "session_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "theme_codes" character varying(60) array NOT NULL DEFAULT '{}', "organisation_id" uuid, "answers" jsonb NOT NULL, "answered_on" date NOT NULL, CONSTRAINT "pk_evaluation_responses" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_responses_questionnaire" ON "evaluation_responses"  ("questionnaire_id") `);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_responses_organisation" ON "evaluation_responses"  ("organisation_id") `);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_responses_provider" ON "evaluation_responses"  ("provider_id") `);
    await queryRunner.query(`CREATE INDEX "ix_evaluation_responses_offering" ON "evaluation_responses"  ("offering_id") `);
    await queryRunner.query(`CREATE TABLE "follow_up_plans" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "scope" character varying(40) NOT NULL, "offering_id" uuid, "reminder_after" character varying(40), "max_reminders" integer NOT NULL DEFAULT '0', "expires_after" character varying(40), "active" boolean NOT NULL DEFAULT true, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_follow_up_plans" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_follow_up_plans_offering" ON "follow_up_plans"  ("offering_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_follow_up_plans_active_scope" ON "follow_up_plans"  ("scope") WHERE "active"`);
    await queryRunner.query(`CREATE TABLE "follow_up_plan_steps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "plan_id" uuid NOT NULL, "position" integer NOT NULL, "questionnaire_id" uuid NOT NULL, "send_offset" character varying(40) NOT NULL, CONSTRAINT "pk_follow_up_plan_steps" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_follow_up_plan_steps_questionnaire" ON "follow_up_plan_steps"  ("questionnaire_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_follow_up_plan_steps_position" ON "follow_up_plan_steps"  ("plan_id", "position") `);
    await queryRunner.query(`ALTER TABLE "questionnaires" ADD CONSTRAINT "fk_questionnaires_previous" FOREIGN KEY ("previous_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "evaluation_invitations" ADD CONSTRAINT "fk_evaluation_invitations_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "evaluation_invitations" ADD CONSTRAINT "fk_evaluation_invitations_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "evaluation_tokens" ADD CONSTRAINT "fk_evaluation_tokens_invitation" FOREIGN KEY ("invitation_id") REFERENCES "evaluation_invitations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "evaluation_responses" ADD CONSTRAINT "fk_evaluation_responses_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "follow_up_plans" ADD CONSTRAINT "fk_follow_up_plans_offering" FOREIGN KEY ("offering_id") REFERENCES "offerings"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "follow_up_plan_steps" ADD CONSTRAINT "fk_follow_up_plan_steps_plan" FOREIGN KEY ("plan_id") REFERENCES "follow_up_plans"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "follow_up_plan_steps" ADD CONSTRAINT "fk_follow_up_plan_steps_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "follow_up_plan_steps" DROP CONSTRAINT "fk_follow_up_plan_steps_questionnaire"`);
    await queryRunner.query(`ALTER TABLE "follow_up_plan_steps" DROP CONSTRAINT "fk_follow_up_plan_steps_plan"`);
    await queryRunner.query(`ALTER TABLE "follow_up_plans" DROP CONSTRAINT "fk_follow_up_plans_offering"`);
    await queryRunner.query(`ALTER TABLE "evaluation_responses" DROP CONSTRAINT "fk_evaluation_responses_questionnaire"`);
    await queryRunner.query(`ALTER TABLE "evaluation_tokens" DROP CONSTRAINT "fk_evaluation_tokens_invitation"`);
    await queryRunner.query(`ALTER TABLE "evaluation_invitations" DROP CONSTRAINT "fk_evaluation_invitations_questionnaire"`);
    await queryRunner.query(`ALTER TABLE "evaluation_invitations" DROP CONSTRAINT "fk_evaluation_invitations_user"`);
    await queryRunner.query(`ALTER TABLE "questionnaires" DROP CONSTRAINT "fk_questionnaires_previous"`);
    await queryRunner.query(`DROP INDEX "public"."uq_follow_up_plan_steps_position"`);
    await queryRunner.query(`DROP INDEX "public"."ix_follow_up_plan_steps_questionnaire"`);
    await queryRunner.query(`DROP TABLE "follow_up_plan_steps"`);
    await queryRunner.query(`DROP INDEX "public"."uq_follow_up_plans_active_scope"`);
    await queryRunner.query(`DROP INDEX "public"."ix_follow_up_plans_offering"`);
    await queryRunner.query(`DROP TABLE "follow_up_plans"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_responses_offering"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_responses_provider"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_responses_organisation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_responses_questionnaire"`);
    await queryRunner.query(`DROP TABLE "evaluation_responses"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_tokens_invitation"`);
    await queryRunner.query(`DROP TABLE "evaluation_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."uq_evaluation_invitations_booking_step"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_invitations_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_invitations_reminder"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_invitations_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluation_invitations_offering"`);
    await queryRunner.query(`DROP TABLE "evaluation_invitations"`);
    await queryRunner.query(`DROP INDEX "public"."ix_questionnaires_previous"`);
    await queryRunner.query(`DROP TABLE "questionnaires"`);
  }
}
