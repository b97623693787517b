import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ESF participants (issue 20): identity numbers (encrypted), the register, hours per attended
 * session, monthly time reports with their one-time codes, the monthly file's sends; and the whole
 * hours a provider may record for part of a session (bookings.attended_hours).
 */
export class EsfParticipants1796800000000 implements MigrationInterface {
  name = 'EsfParticipants1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "participant_identities" ("user_id" uuid NOT NULL, "id_cipher" bytea NOT NULL, "key_id" character varying(16) NOT NULL, "set_by_user_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_participant_identities" PRIMARY KEY ("user_id"))`);
    await queryRunner.query(`CREATE TABLE "esf_participants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "programme_id" uuid NOT NULL, "user_id" uuid NOT NULL, "organisation_id" uuid, "org_number" character varying(11), "started_on" date NOT NULL, "ended_on" date, "end_reason" character varying(24), "ended_by_user_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_esf_participants_programme_user" UNIQUE ("programme_id", "user_id"), CONSTRAINT "ck_esf_participants_end_reason" CHECK ("end_reason" IS NULL OR "end_reason" IN ('left_on_request', 'ended_by_coordinator')), CONSTRAINT "ck_esf_participants_period" CHECK ("ended_on" IS NULL OR "ended_on" >= "started_on"), CONSTRAINT "pk_esf_participants" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_esf_participants_user" ON "esf_participants"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_esf_participants_programme_started" ON "esf_participants"  ("programme_id", "started_on") `);
    await queryRunner.query(`CREATE TABLE "esf_time_entries" ("booking_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "session_id" uuid NOT NULL, "offering_id" uuid NOT NULL, "day" date NOT NULL, "hours" numeric(5,1) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_esf_time_entries_hours" CHECK ("hours" > 0), CONSTRAINT "pk_esf_time_entries" PRIMARY KEY ("booking_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_esf_time_entries_participant_day" ON "esf_time_entries"  ("participant_id", "day") `);
    await queryRunner.query(`CREATE TABLE "esf_time_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "participant_id" uuid NOT NULL, "month" date NOT NULL, "version" integer NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'open', "hours" numeric(7,1) NOT NULL DEFAULT '0', "sessions" integer NOT NULL DEFAULT '0', "lines" jsonb, "corrects_report_id" uuid, "certified_at" TIMESTAMP WITH TIME ZONE, "cosigned_at" TIMESTAMP WITH TIME ZONE, "cosigned_by_user_id" uuid, "corrected_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_esf_time_reports_version" UNIQUE ("participant_id", "month", "version"), CONSTRAINT "ck_esf_time_reports_hours" CHECK ("hours" >= 0), CONSTRAINT "ck_esf_time_reports_status" CHECK ("status" IN ('open', 'certified', 'cosigned', 'corrected')), CONSTRAINT "pk_esf_time_reports" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_esf_time_reports_current" ON "esf_time_reports"  ("participant_id", "month") WHERE "status" <> 'corrected'`);
    await queryRunner.query(`CREATE TABLE "esf_certification_codes" ("report_id" uuid NOT NULL, "code_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_esf_certification_codes_attempts" CHECK ("attempts" >= 0), CONSTRAINT "pk_esf_certification_codes" PRIMARY KEY ("report_id"))`);
    await queryRunner.query(`CREATE TABLE "esf_monthly_file_sends" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "programme_id" uuid NOT NULL, "month" date NOT NULL, "state_hash" character varying(64) NOT NULL, "rows" integer NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_by_user_id" uuid, CONSTRAINT "uq_esf_monthly_file_sends_state" UNIQUE ("programme_id", "month", "state_hash"), CONSTRAINT "pk_esf_monthly_file_sends" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_esf_monthly_file_sends_month" ON "esf_monthly_file_sends"  ("programme_id", "month", "sent_at") `);
    await queryRunner.query(`ALTER TABLE "bookings" ADD "attended_hours" smallint`);
    await queryRunner.query(`ALTER TABLE "participant_identities" ADD CONSTRAINT "fk_participant_identities_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "esf_participants" ADD CONSTRAINT "fk_esf_participants_programme" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "esf_participants" ADD CONSTRAINT "fk_esf_participants_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "esf_time_entries" ADD CONSTRAINT "fk_esf_time_entries_participant" FOREIGN KEY ("participant_id") REFERENCES "esf_participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "esf_time_reports" ADD CONSTRAINT "fk_esf_time_reports_participant" FOREIGN KEY ("participant_id") REFERENCES "esf_participants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "esf_certification_codes" ADD CONSTRAINT "fk_esf_certification_codes_report" FOREIGN KEY ("report_id") REFERENCES "esf_time_reports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "esf_monthly_file_sends" ADD CONSTRAINT "fk_esf_monthly_file_sends_programme" FOREIGN KEY ("programme_id") REFERENCES "programmes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "esf_monthly_file_sends" DROP CONSTRAINT "fk_esf_monthly_file_sends_programme"`);
    await queryRunner.query(`ALTER TABLE "esf_certification_codes" DROP CONSTRAINT "fk_esf_certification_codes_report"`);
    await queryRunner.query(`ALTER TABLE "esf_time_reports" DROP CONSTRAINT "fk_esf_time_reports_participant"`);
    await queryRunner.query(`ALTER TABLE "esf_time_entries" DROP CONSTRAINT "fk_esf_time_entries_participant"`);
    await queryRunner.query(`ALTER TABLE "esf_participants" DROP CONSTRAINT "fk_esf_participants_user"`);
    await queryRunner.query(`ALTER TABLE "esf_participants" DROP CONSTRAINT "fk_esf_participants_programme"`);
    await queryRunner.query(`ALTER TABLE "participant_identities" DROP CONSTRAINT "fk_participant_identities_user"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP COLUMN "attended_hours"`);
    await queryRunner.query(`DROP INDEX "public"."ix_esf_monthly_file_sends_month"`);
    await queryRunner.query(`DROP TABLE "esf_monthly_file_sends"`);
    await queryRunner.query(`DROP TABLE "esf_certification_codes"`);
    await queryRunner.query(`DROP INDEX "public"."uq_esf_time_reports_current"`);
    await queryRunner.query(`DROP TABLE "esf_time_reports"`);
    await queryRunner.query(`DROP INDEX "public"."ix_esf_time_entries_participant_day"`);
    await queryRunner.query(`DROP TABLE "esf_time_entries"`);
    await queryRunner.query(`DROP INDEX "public"."ix_esf_participants_programme_started"`);
    await queryRunner.query(`DROP INDEX "public"."ix_esf_participants_user"`);
    await queryRunner.query(`DROP TABLE "esf_participants"`);
    await queryRunner.query(`DROP TABLE "participant_identities"`);
  }
}
