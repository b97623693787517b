import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous answers (issue 24, F2): an answer and its invitation's "answered" were written in one
 * transaction, so `JOIN … ON i.xmin = r.xmin` linked them, and the heap order of answers followed
 * `answered_at` (to the microsecond). Answers now wait in an inbox, moved in random order by another
 * transaction (the ResponseMixer); the invitation keeps the day only. Existing answers are rewritten
 * here in random order, which gives them this migration's xmin and a shuffled physical order.
 */
export class AnonymousAnswersInbox1796500000001 implements MigrationInterface {
  name = 'AnonymousAnswersInbox1796500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "evaluation_response_inbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "questionnaire_id" uuid NOT NULL, "questionnaire_version" integer NOT NULL, "offering_id" uuid NOT NULL, "session_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "theme_codes" character varying(60) array NOT NULL DEFAULT '{}', "organisation_id" uuid, "answers" jsonb NOT NULL, "answered_on" date NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_evaluation_response_inbox" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "evaluation_invitations" ALTER COLUMN "answered_at" TYPE date USING (("answered_at" AT TIME ZONE 'Europe/Stockholm')::date)`,
    );
    await queryRunner.query(`CREATE TEMPORARY TABLE shuffled_responses AS SELECT * FROM evaluation_responses ORDER BY random()`);
    await queryRunner.query(`DELETE FROM evaluation_responses`);
    await queryRunner.query(`INSERT INTO evaluation_responses SELECT * FROM shuffled_responses`);
    await queryRunner.query(`DROP TABLE shuffled_responses`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO evaluation_responses (questionnaire_id, questionnaire_version, offering_id, session_id, provider_id, theme_codes, organisation_id, answers, answered_on)
      SELECT questionnaire_id, questionnaire_version, offering_id, session_id, provider_id, theme_codes, organisation_id, answers, answered_on FROM evaluation_response_inbox`);
    await queryRunner.query(`ALTER TABLE "evaluation_invitations" ALTER COLUMN "answered_at" TYPE TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`DROP TABLE "evaluation_response_inbox"`);
  }
}
