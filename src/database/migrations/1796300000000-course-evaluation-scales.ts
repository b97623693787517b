import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The course evaluation's satisfaction question, asked as a question and answered on a satisfaction scale. */
const SATISFACTION = {
  key: 'satisfaction',
  type: 'likert5',
  text: 'Hur nöjd är du med kursen?',
  textEn: 'How satisfied are you with the course?',
  required: true,
  scale: 'satisfaction',
};

/**
 * The shipped course evaluation asked "Jag är nöjd med kursen." on an agreement scale ("Stämmer
 * helt"). Its satisfaction question becomes a question on a satisfaction scale ("Mycket nöjd"); the
 * other questions are statements and keep the agreement scale. As for any change: a version that
 * has answers is never changed, so it gets a new version (which takes over the key and the plan
 * steps, as QuestionnairesService.update does); an unanswered one is changed in place.
 */
export class CourseEvaluationScales1796300000000 implements MigrationInterface {
  name = 'CourseEvaluationScales1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const [current] = (await queryRunner.query(
      `SELECT q.id, q.version, q.title, q.title_en, q.questions,
              EXISTS (SELECT 1 FROM evaluation_responses r WHERE r.questionnaire_id = q.id) AS answered
         FROM questionnaires q WHERE q.key = 'course_evaluation' AND q.replaced_by_id IS NULL`,
    )) as { id: string; version: number; title: string; title_en: string | null; questions: { key: string }[]; answered: boolean }[];
    if (!current || !current.questions.some((q) => q.key === 'satisfaction')) return;
    const questions = JSON.stringify(current.questions.map((q) => (q.key === 'satisfaction' ? SATISFACTION : q)));
    if (!current.answered) {
      await queryRunner.query(`UPDATE questionnaires SET questions = $2::jsonb WHERE id = $1`, [current.id, questions]);
      return;
    }
    await queryRunner.query(`UPDATE questionnaires SET key = NULL WHERE id = $1`, [current.id]);
    const [next] = (await queryRunner.query(
      `INSERT INTO questionnaires (key, title, title_en, questions, version, previous_id)
       VALUES ('course_evaluation', $2, $3, $4::jsonb, $5, $1) RETURNING id`,
      [current.id, current.title, current.title_en, questions, current.version + 1],
    )) as { id: string }[];
    await queryRunner.query(`UPDATE questionnaires SET replaced_by_id = $2 WHERE id = $1`, [current.id, next.id]);
    await queryRunner.query(`UPDATE follow_up_plan_steps SET questionnaire_id = $2 WHERE questionnaire_id = $1`, [current.id, next.id]);
  }

  async down(): Promise<void> {
    // A new version may have answers by now: it stays (as any questionnaire version does).
  }
}
