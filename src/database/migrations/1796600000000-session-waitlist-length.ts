import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sessions.waitlist_length`: how many bookings of the session are waitlisted, kept by the bookings
 * module in the same statement or transaction that moves a booking on or off the waitlist, under
 * the session's row lock (as `seats_taken` is). A statement that waitlists many bookings at once
 * reads it from the session row it locks (the row's latest version), so that positions continue the
 * waitlist without counting bookings through a snapshot taken before the lock was granted.
 */
export class SessionWaitlistLength1796600000000 implements MigrationInterface {
  name = 'SessionWaitlistLength1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "waitlist_length" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `UPDATE "sessions" s SET "waitlist_length" = w.n
         FROM (SELECT "session_id", count(*)::int AS n FROM "bookings" WHERE "status" = 'waitlisted' GROUP BY "session_id") w
        WHERE w."session_id" = s."id"`,
    );
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "ck_sessions_waitlist_length" CHECK ("waitlist_length" >= 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "ck_sessions_waitlist_length"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "waitlist_length"`);
  }
}
