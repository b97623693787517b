import { startTestApp } from '../support/app.js';
import { useTestContext } from '../support/context.js';
import { givenUser, type GivenUser } from '../support/factories.js';
import { COURSE_ANSWERS, givenInvitedCourse } from '../support/follow-up-factories.js';
import { ResponseMixer } from '../../src/follow-up/response-mixer.js';

const MIX_ENV = { EVALUATION_MIX_MIN_ANSWERS: '3', EVALUATION_MIX_MAX_WAIT_HOURS: '24' };
const answer = (i: number) => ({ ...COURSE_ANSWERS, comments: `Svar nummer ${i}` });

/**
 * Issue 24, F2: an anonymous answer cannot be linked back to its person in the database. Answers
 * wait in an inbox and are moved in random order by another transaction once 3 wait (here) or the
 * oldest has waited 24 hours; the invitation keeps the day of the answer only.
 */
describe('anonymous answers: mixed before they reach the results', () => {
  const t = useTestContext({ smtp: true, env: MIX_ENV });
  let coordinator: GivenUser;

  beforeAll(async () => {
    coordinator = await givenUser(t, { coordinator: true });
  });

  const counts = async (offeringId: string) => {
    const [row] = await t.db.query<{ inbox: number; responses: number }>(
      `SELECT (SELECT count(*) FROM evaluation_response_inbox WHERE offering_id = $1)::int AS inbox,
              (SELECT count(*) FROM evaluation_responses WHERE offering_id = $1)::int AS responses`,
      [offeringId],
    );
    return [row.inbox, row.responses];
  };

  it("the review's xmin join and order join re-identify nobody (probe P5): 6 answers, mixed in two batches of 3", async () => {
    const { course, invited } = await givenInvitedCourse(t, coordinator, 6);
    const seen: number[][] = [];
    for (const [i, p] of invited.entries()) {
      const res = await t.app.http.post(`/api/v1/evaluations/${p.token}/responses`).send({ answers: answer(i) }).expect(201);
      expect(res.body).toEqual({ answered: true, answeredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      seen.push(await counts(course.offeringId));
    }
    // [inbox, responses] after each answer: nothing reaches the results until three wait.
    expect(seen).toEqual([[1, 0], [2, 0], [0, 3], [1, 3], [2, 3], [0, 6]]);

    // P5: the join on xmin finds nobody (before: 6 of 6).
    const byXmin = await t.db.query(
      `SELECT i.user_id, r.answers FROM evaluation_responses r JOIN evaluation_invitations i ON i.xmin = r.xmin WHERE r.offering_id = $1`,
      [course.offeringId],
    );
    expect(byXmin).toEqual([]);
    // Within the results, three answers share each xmin: a batch, not a person.
    const batches = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM evaluation_responses WHERE offering_id = $1 GROUP BY xmin::text ORDER BY 1`,
      [course.offeringId],
    );
    expect(batches).toEqual([{ n: 3 }, { n: 3 }]);

    // The order join: the invitations keep the day only, so all six answered "at once" and their
    // order is nothing to match the heap order of the responses against.
    const [column] = await t.db.query<{ data_type: string }>(
      `SELECT data_type FROM information_schema.columns WHERE table_name = 'evaluation_invitations' AND column_name = 'answered_at'`,
    );
    expect(column.data_type).toBe('date');
    const days = await t.db.query<{ answered_at: unknown }>(
      `SELECT DISTINCT answered_at FROM evaluation_invitations WHERE offering_id = $1 AND status = 'answered'`,
      [course.offeringId],
    );
    expect(days).toHaveLength(1);
    const byOrder = await t.db.query<{ user_id: string; answers: { comments: string } }>(
      `WITH r AS (SELECT answers, row_number() OVER (ORDER BY ctid) AS n FROM evaluation_responses WHERE offering_id = $1),
            i AS (SELECT user_id, row_number() OVER (ORDER BY answered_at) AS n FROM evaluation_invitations WHERE offering_id = $1 AND status = 'answered')
       SELECT i.user_id, r.answers FROM r JOIN i USING (n)`,
      [course.offeringId],
    );
    expect(byOrder).toHaveLength(6);
    // The answers and the people, each exactly once, nothing lost or doubled on the way.
    const stored = await t.db.query<{ comments: string }>(`SELECT answers->>'comments' AS comments FROM evaluation_responses WHERE offering_id = $1`, [
      course.offeringId,
    ]);
    expect(stored.map((s) => s.comments).sort()).toEqual(invited.map((_, i) => `Svar nummer ${i}`).sort());
    // Only the inbox ever held an arrival time, and it is empty.
    expect(await counts(course.offeringId)).toEqual([0, 6]);
  });

  it('an answer waits at most EVALUATION_MIX_MAX_WAIT_HOURS when too few others come', async () => {
    const { course, invited } = await givenInvitedCourse(t, coordinator, 1);
    await t.app.http.post(`/api/v1/evaluations/${invited[0].token}/responses`).send({ answers: answer(1) }).expect(201);
    const mixer = t.app.app.get(ResponseMixer);
    expect(await mixer.mixDue()).toBe(0);
    expect(await counts(course.offeringId)).toEqual([1, 0]);
    t.app.clock.advance(23 * 3600_000);
    try {
      expect(await mixer.mixDue()).toBe(0);
      t.app.clock.advance(3600_000 + 1000);
      expect(await mixer.mixDue()).toBe(1);
    } finally {
      t.app.clock.reset();
    }
    expect(await counts(course.offeringId)).toEqual([0, 1]);
  });

  it('answers given at once through two instances, with both mixing, reach the results exactly once', async () => {
    const second = await startTestApp({ databaseUrl: t.db.url, smtpUrl: t.smtp.url, env: MIX_ENV });
    try {
      const { course, invited } = await givenInvitedCourse(t, coordinator, 12);
      const apps = [t.app, second];
      await Promise.all([
        ...invited.map((p, i) => apps[i % 2].http.post(`/api/v1/evaluations/${p.token}/responses`).send({ answers: answer(i) }).expect(201)),
        ...apps.flatMap((app) => [app.app.get(ResponseMixer).mixDue(), app.app.get(ResponseMixer).mixDue()]),
      ]);
      // Whatever is left below the threshold moves once the waiting limit passes.
      second.clock.advance(25 * 3600_000);
      await Promise.all(apps.map((app) => app.app.get(ResponseMixer).mixDue()));
      expect(await counts(course.offeringId)).toEqual([0, 12]);
      const stored = await t.db.query<{ comments: string }>(`SELECT answers->>'comments' AS comments FROM evaluation_responses WHERE offering_id = $1`, [
        course.offeringId,
      ]);
      expect(stored.map((s) => s.comments).sort()).toEqual(invited.map((_, i) => `Svar nummer ${i}`).sort());
      const byXmin = await t.db.query(`SELECT 1 FROM evaluation_responses r JOIN evaluation_invitations i ON i.xmin = r.xmin WHERE r.offering_id = $1`, [
        course.offeringId,
      ]);
      expect(byXmin).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
