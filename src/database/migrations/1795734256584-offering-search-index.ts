import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tsvector's own GIN index goes: ix_offerings_search (OfferingPlaces) starts with the same
 * column. With both present, the search's generic plan (it runs as a prepared statement) ANDed the
 * tsvector and theme indexes and filtered places on the heap: 11 ms against 6.5 ms through the
 * multi-column index, which is the only choice once this one is gone.
 */
export class OfferingSearchIndex1795734256584 implements MigrationInterface {
  name = 'OfferingSearchIndex1795734256584';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_offerings_search_vector"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_offerings_search_vector" ON "offerings" USING GIN ("search_vector")`);
  }
}
