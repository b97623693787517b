import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recommendations rank offerings before they touch sessions (RECOMMENDATIONS_SQL):
 * - `matching_offerings.places`, a copy of `offerings.places` (the places of an offering's scheduled
 *   sessions, kept by the sessions triggers of OfferingPlaces), kept by the same offerings trigger as
 *   the other matching columns. With it an offering's best possible place score for a need is known
 *   from its row (SESSION_BOUND_SQL), so only the sessions of offerings that can reach the page are
 *   read and scored.
 * - `ix_sessions_search` carries the booking window and the id as well, so that counting a candidate
 *   offering's bookable sessions (the total) and reading the few that are scored are index-only
 *   scans. It replaces the index instead of adding one.
 * - The seats (capacity, seats_taken) leave that index, and sessions keep 10 % of each page free
 *   (fillfactor 90): with seats_taken in an index every booking's seat update was a non-HOT update
 *   that wrote a new entry into each of the five indexes of sessions; now it can stay on its page
 *   and write none (measured: pgbench's one-booking statement on one hot session 336–394 → 494–592
 *   per second). Search reads the seats from the row only when asked for free seats.
 */
export class RecommendationBounds1795774376574 implements MigrationInterface {
  name = 'RecommendationBounds1795774376574';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "matching_offerings" ADD "places" character varying array NOT NULL DEFAULT '{}'`);
    await this.syncFunction(queryRunner, true);
    await queryRunner.query(`DROP TRIGGER "tr_offerings_matching" ON "offerings"`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_offerings_matching" AFTER INSERT OR UPDATE OF "status", "theme_codes", "format", "language", "target_groups", "accessibility_features", "places"
         ON "offerings" FOR EACH ROW EXECUTE FUNCTION offerings_matching_sync()`,
    );
    await queryRunner.query(`UPDATE "matching_offerings" mo SET "places" = o."places" FROM "offerings" o WHERE o."id" = mo."offering_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_search"`);
    await queryRunner.query(
      `CREATE INDEX "ix_sessions_search" ON "sessions" ("offering_id", "starts_at")
         INCLUDE ("booking_closes_at", "booking_opens_at", "municipality_code", "online", "id") WHERE "status" = 'scheduled'`,
    );
    await queryRunner.query(`ALTER TABLE "sessions" SET (fillfactor = 90)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" RESET (fillfactor)`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_search"`);
    await queryRunner.query(
      `CREATE INDEX "ix_sessions_search" ON "sessions" ("offering_id", "starts_at")
         INCLUDE ("municipality_code", "online", "capacity", "seats_taken") WHERE "status" = 'scheduled'`,
    );
    await queryRunner.query(`DROP TRIGGER "tr_offerings_matching" ON "offerings"`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_offerings_matching" AFTER INSERT OR UPDATE OF "status", "theme_codes", "format", "language", "target_groups", "accessibility_features"
         ON "offerings" FOR EACH ROW EXECUTE FUNCTION offerings_matching_sync()`,
    );
    await this.syncFunction(queryRunner, false);
    await queryRunner.query(`ALTER TABLE "matching_offerings" DROP COLUMN "places"`);
  }

  /** The trigger function of MatchingOfferings, with or without the places. */
  private async syncFunction(queryRunner: QueryRunner, withPlaces: boolean): Promise<void> {
    const columns = `theme_codes, format, language, target_groups, accessibility_features${withPlaces ? ', places' : ''}`;
    const values = columns.split(', ').map((c) => `NEW.${c}`).join(', ');
    const updates = columns.split(', ').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    await queryRunner.query(`CREATE OR REPLACE FUNCTION offerings_matching_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'published' THEN
          INSERT INTO matching_offerings (offering_id, ${columns})
          VALUES (NEW.id, ${values})
          ON CONFLICT (offering_id) DO UPDATE SET ${updates};
        ELSE
          DELETE FROM matching_offerings WHERE offering_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
  }
}
