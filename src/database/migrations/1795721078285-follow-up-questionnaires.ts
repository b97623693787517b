import { MigrationInterface, QueryRunner } from 'typeorm';

const likert = (key: string, text: string, textEn: string) => ({ key, type: 'likert5', text, textEn, required: true });

/** The immediate course evaluation, in plain Swedish (lättläst): short sentences, everyday words. */
const COURSE_EVALUATION = [
  likert('satisfaction', 'Jag är nöjd med kursen.', 'I am satisfied with the course.'),
  likert('relevance', 'Det jag lärde mig är till nytta i mitt arbete.', 'What I learnt is useful in my work.'),
  likert('leader', 'Kursledaren förklarade på ett bra sätt.', 'The course leader explained things well.'),
  {
    key: 'accessibility',
    type: 'single_choice',
    text: 'Fungerade lokalen, materialet och tekniken för dig?',
    textEn: 'Did the room, the material and the technology work for you?',
    required: false,
    options: [
      { value: 'yes', label: 'Ja, allt fungerade bra', labelEn: 'Yes, everything worked well' },
      { value: 'partly', label: 'En del fungerade inte', labelEn: 'Some things did not work' },
      { value: 'no', label: 'Nej, det fungerade inte', labelEn: 'No, it did not work' },
    ],
  },
  {
    key: 'comments',
    type: 'text',
    text: 'Vill du säga något mer om kursen? Skriv här.',
    textEn: 'Is there anything else you want to say about the course? Write here.',
    required: false,
    maxLength: 2000,
  },
];

/** The effect follow-up about three months later. */
const EFFECT_FOLLOW_UP = [
  likert('used_at_work', 'Jag har använt det jag lärde mig i mitt arbete.', 'I have used what I learnt in my work.'),
  {
    key: 'changed_ways',
    type: 'single_choice',
    text: 'Arbetar ni på ett nytt sätt efter kursen?',
    textEn: 'Do you work in a new way after the course?',
    required: true,
    options: [
      { value: 'much', label: 'Ja, mycket har ändrats', labelEn: 'Yes, a lot has changed' },
      { value: 'little', label: 'Ja, lite har ändrats', labelEn: 'Yes, a little has changed' },
      { value: 'no', label: 'Nej, inget har ändrats', labelEn: 'No, nothing has changed' },
    ],
  },
  {
    key: 'further_needs',
    type: 'multi_choice',
    text: 'Vad vill du lära dig mer om? Du kan välja flera svar.',
    textEn: 'What do you want to learn more about? You can choose more than one answer.',
    required: false,
    options: [
      { value: 'same_theme', label: 'Mer om samma ämne', labelEn: 'More about the same subject' },
      { value: 'other_theme', label: 'Ett annat ämne', labelEn: 'Another subject' },
      { value: 'support_at_work', label: 'Hjälp att använda det i arbetet', labelEn: 'Help to use it in my work' },
      { value: 'nothing', label: 'Inget just nu', labelEn: 'Nothing right now' },
    ],
  },
  {
    key: 'further_needs_text',
    type: 'text',
    text: 'Skriv gärna vad du behöver.',
    textEn: 'You are welcome to write what you need.',
    required: false,
    maxLength: 2000,
  },
];

/**
 * Ships two ready questionnaires and the default follow-up plan: the course evaluation the day
 * after the session, the effect follow-up three months later, two reminders three days apart,
 * links valid for 30 days.
 */
export class FollowUpQuestionnaires1795721078285 implements MigrationInterface {
  name = 'FollowUpQuestionnaires1795721078285';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "questionnaires" ("key", "title", "title_en", "questions") VALUES
        ('course_evaluation', 'Vad tyckte du om kursen?', 'What did you think of the course?', $1::jsonb),
        ('effect_followup', 'Har kursen gjort skillnad i ditt arbete?', 'Has the course made a difference in your work?', $2::jsonb)`,
      [JSON.stringify(COURSE_EVALUATION), JSON.stringify(EFFECT_FOLLOW_UP)],
    );
    await queryRunner.query(
      `INSERT INTO "follow_up_plans" ("scope", "reminder_after", "max_reminders", "expires_after") VALUES ('default', 'P3D', 2, 'P30D')`,
    );
    await queryRunner.query(
      `INSERT INTO "follow_up_plan_steps" ("plan_id", "position", "questionnaire_id", "send_offset")
       SELECT p.id, s.position, q.id, s.send_offset
         FROM "follow_up_plans" p
         CROSS JOIN (VALUES (1, 'course_evaluation', 'P1D'), (2, 'effect_followup', 'P3M')) AS s(position, key, send_offset)
         JOIN "questionnaires" q ON q.key = s.key
        WHERE p.scope = 'default' AND p.active`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "follow_up_plans" WHERE "scope" = 'default'`);
    await queryRunner.query(`DELETE FROM "questionnaires" WHERE "key" IN ('course_evaluation', 'effect_followup')`);
  }
}
