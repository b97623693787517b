import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Swedish full-text search over offerings (hand-written). `search_vector` is kept by a trigger
 * rather than declared `GENERATED ALWAYS AS … STORED`: TypeORM reads a generated column's
 * expression from its `typeorm_metadata` table keyed by database name, which does not survive
 * databases cloned from a template (the test harness) or renamed, and would make the
 * entities-vs-migrations check fail. The trigger gives the same column, always in step.
 */
export class CatalogueSearch1795720688881 implements MigrationInterface {
  name = 'CatalogueSearch1795720688881';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "offerings" ADD "search_vector" tsvector`);
    await queryRunner.query(`CREATE FUNCTION offerings_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector :=
          setweight(to_tsvector('swedish', coalesce(NEW.title, '')), 'A') ||
          setweight(to_tsvector('swedish', coalesce(NEW.description, '')), 'B');
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_offerings_search_vector" BEFORE INSERT OR UPDATE OF "title", "description" ON "offerings"
         FOR EACH ROW EXECUTE FUNCTION offerings_search_vector()`,
    );
    await queryRunner.query(`UPDATE "offerings" SET "title" = "title"`);
    await queryRunner.query(`CREATE INDEX "ix_offerings_search_vector" ON "offerings" USING GIN ("search_vector")`);
    // Search reads an offering's upcoming scheduled sessions and their filter columns: index-only.
    await queryRunner.query(
      `CREATE INDEX "ix_sessions_search" ON "sessions" ("offering_id", "starts_at")
         INCLUDE ("municipality_code", "online", "capacity", "seats_taken") WHERE "status" = 'scheduled'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_offerings_search_vector"`);
    await queryRunner.query(`DROP TRIGGER "tr_offerings_search_vector" ON "offerings"`);
    await queryRunner.query(`DROP FUNCTION offerings_search_vector()`);
    await queryRunner.query(`ALTER TABLE "offerings" DROP COLUMN "search_vector"`);
  }
}
