import { MigrationInterface, QueryRunner } from 'typeorm';

export class Bookings1795720608223 implements MigrationInterface {
  name = 'Bookings1795720608223';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "bookings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "user_id" uuid NOT NULL, "organisation_id" uuid, "booked_by_user_id" uuid, "status" character varying(20) NOT NULL, "accessibility_requests" character varying(60) array NOT NULL DEFAULT '{}', "note" character varying(1000), "waitlist_seq" bigint, "waitlisted_at" TIMESTAMP WITH TIME ZONE, "offered_at" TIMESTAMP WITH TIME ZONE, "offer_expires_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "decided_by_user_id" uuid, "rejection_reason" character varying(500), "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancelled_by_user_id" uuid, "cancellation_reason" character varying(500), "reminder_sent_at" TIMESTAMP WITH TIME ZONE, "attended" boolean, "attendance_recorded_at" TIMESTAMP WITH TIME ZONE, "attendance_recorded_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_bookings" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_bookings_offer_expiry" ON "bookings"  ("status", "offer_expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_bookings_organisation" ON "bookings"  ("organisation_id") `);
    await queryRunner.query(`CREATE INDEX "ix_bookings_user" ON "bookings"  ("user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_bookings_session_status_seq" ON "bookings"  ("session_id", "status", "waitlist_seq") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_bookings_session_user_active" ON "bookings"  ("session_id", "user_id") WHERE "status" IN ('pending_approval', 'confirmed', 'waitlisted', 'offered')`);
    await queryRunner.query(`ALTER TABLE "bookings" ADD CONSTRAINT "fk_bookings_session" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "bookings" ADD CONSTRAINT "fk_bookings_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "bookings" ADD CONSTRAINT "fk_bookings_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    // Waitlist order: the moment a person joins a waitlist takes the next number (not entity metadata).
    await queryRunner.query(`CREATE SEQUENCE "bookings_waitlist_seq" AS bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE "bookings_waitlist_seq"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP CONSTRAINT "fk_bookings_organisation"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP CONSTRAINT "fk_bookings_user"`);
    await queryRunner.query(`ALTER TABLE "bookings" DROP CONSTRAINT "fk_bookings_session"`);
    await queryRunner.query(`DROP INDEX "public"."uq_bookings_session_user_active"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bookings_session_status_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bookings_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bookings_organisation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bookings_offer_expiry"`);
    await queryRunner.query(`DROP TABLE "bookings"`);
  }
}
