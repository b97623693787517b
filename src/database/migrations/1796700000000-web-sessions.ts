import { MigrationInterface, QueryRunner } from 'typeorm';

/** `web_sessions`: the web front end's cookie sessions (owned by the web module). */
export class WebSessions1796700000000 implements MigrationInterface {
  name = 'WebSessions1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "web_sessions" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "token_hash" char(64) NOT NULL,
         "user_id" uuid NOT NULL,
         "auth_version" integer NOT NULL,
         "created_at" timestamptz NOT NULL,
         "last_seen_at" timestamptz NOT NULL,
         CONSTRAINT "pk_web_sessions" PRIMARY KEY ("id"),
         CONSTRAINT "uq_web_sessions_token_hash" UNIQUE ("token_hash"),
         CONSTRAINT "fk_web_sessions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
       )`,
    );
    await queryRunner.query(`CREATE INDEX "ix_web_sessions_user" ON "web_sessions" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "web_sessions"`);
  }
}
