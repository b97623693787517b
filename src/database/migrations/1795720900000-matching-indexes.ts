import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching (hand-written): candidates are an offering's bookable sessions, read index-only from
 * this covering partial index (the booking window and what the score needs are included).
 */
export class MatchingIndexes1795720900000 implements MigrationInterface {
  name = 'MatchingIndexes1795720900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_sessions_matching" ON "sessions" ("offering_id", "booking_closes_at")
         INCLUDE ("starts_at", "booking_opens_at", "municipality_code", "online", "capacity", "seats_taken") WHERE "status" = 'scheduled'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_matching"`);
  }
}
