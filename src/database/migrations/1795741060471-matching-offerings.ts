import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching's own narrow copy of the published offerings (hand-written, no entity): only what the
 * scoring model reads of an offering (themes, format, language, target groups, accessibility
 * features), kept by a trigger on offerings, with one multi-column GIN index over themes and
 * accessibility features. Recommendations read an offering part per need profile for every
 * published offering that shares a theme and provides every needed feature: from `offerings`
 * (about 1 kB a row, 4 rows a page, most of it description and search vector) that was one heap
 * page per candidate, about 1 300 pages a request in the benchmark; here about 50 rows share a page.
 * Only status and the five matching columns fire the trigger: the places trigger's updates and a
 * booking's seat updates never do.
 */
export class MatchingOfferings1795741060471 implements MigrationInterface {
  name = 'MatchingOfferings1795741060471';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "matching_offerings" (
      "offering_id" uuid NOT NULL,
      "theme_codes" character varying(60) array NOT NULL,
      "format" character varying(60) NOT NULL,
      "language" character varying(5) NOT NULL,
      "target_groups" character varying(30) array NOT NULL,
      "accessibility_features" character varying(60) array NOT NULL,
      CONSTRAINT "pk_matching_offerings" PRIMARY KEY ("offering_id"),
      CONSTRAINT "fk_matching_offerings_offering" FOREIGN KEY ("offering_id") REFERENCES "offerings"("id") ON DELETE CASCADE)`);
    await queryRunner.query(`CREATE FUNCTION offerings_matching_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'published' THEN
          INSERT INTO matching_offerings (offering_id, theme_codes, format, language, target_groups, accessibility_features)
          VALUES (NEW.id, NEW.theme_codes, NEW.format, NEW.language, NEW.target_groups, NEW.accessibility_features)
          ON CONFLICT (offering_id) DO UPDATE
            SET theme_codes = EXCLUDED.theme_codes, format = EXCLUDED.format, language = EXCLUDED.language,
                target_groups = EXCLUDED.target_groups, accessibility_features = EXCLUDED.accessibility_features;
        ELSE
          DELETE FROM matching_offerings WHERE offering_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_offerings_matching" AFTER INSERT OR UPDATE OF "status", "theme_codes", "format", "language", "target_groups", "accessibility_features"
         ON "offerings" FOR EACH ROW EXECUTE FUNCTION offerings_matching_sync()`,
    );
    await queryRunner.query(`INSERT INTO "matching_offerings" (offering_id, theme_codes, format, language, target_groups, accessibility_features)
      SELECT id, theme_codes, format, language, target_groups, accessibility_features FROM "offerings" WHERE status = 'published'`);
    await queryRunner.query(`CREATE INDEX "ix_matching_offerings_themes_features" ON "matching_offerings" USING GIN ("theme_codes", "accessibility_features")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_offerings_matching" ON "offerings"`);
    await queryRunner.query(`DROP FUNCTION offerings_matching_sync()`);
    await queryRunner.query(`DROP TABLE "matching_offerings"`);
  }
}
