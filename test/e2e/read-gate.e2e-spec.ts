import { HeavyReads } from '../../src/database/read-gate.js';
import { givenProvider, givenPublishedOffering } from '../support/catalogue-factories.js';
import { useTestContext } from '../support/context.js';
import { givenUser, type GivenUser } from '../support/factories.js';
import { givenRound } from '../support/needs-factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';

/**
 * Searches and recommendations pass the read gate (DATABASE_HEAVY_READS, here 2): under many truly
 * concurrent requests no more than two run in the database at once, the others wait their turn,
 * and every answer is the one the same request gets alone.
 */
describe('read gate: concurrent searches and recommendations', () => {
  const t = useTestContext({ env: { DATABASE_HEAVY_READS: '2' } });
  let employee: GivenUser;

  beforeAll(async () => {
    const ctx = { app: t.app, db: t.db };
    const coordinator = await givenUser(ctx, { coordinator: true });
    const org = await givenOrganisation(ctx, { municipalityCode: '0380' });
    employee = await givenMember(ctx, org.id, 'employee');
    const provider = (await givenProvider(ctx, coordinator)).id;
    for (const [title, days] of [
      ['Upphandling för föreningar', 20],
      ['Upphandling i praktiken', 35],
      ['Offentlig upphandling, fördjupning', 50],
    ] as const) {
      await givenPublishedOffering(ctx, coordinator, provider, { title }, [{ days }, { days: days + 30 }]);
    }
    const roundId = (await givenRound(ctx, coordinator)).id;
    await t.app.http
      .post(`/api/v1/needs-rounds/${roundId}/statements`)
      .set(org.admin.auth)
      .send({ organisationId: org.id, themeCode: 'public_procurement', people: 4, preferredFormats: ['short_course'] })
      .expect(201);
  });

  it('runs at most two at once, queues the rest, and answers each as it would alone', async () => {
    const search = () => t.app.http.get('/api/v1/offerings?q=upphandlingar&sort=relevance');
    const recommendations = () => t.app.http.get('/api/v1/me/recommendations').set(employee.auth);
    const alone = { search: (await search().expect(200)).body, recommendations: (await recommendations().expect(200)).body };
    expect(alone.search.total).toBe(3);
    expect(alone.recommendations.total).toBe(6);

    const gate = t.app.app.get(HeavyReads);
    let mostActive = 0;
    let mostWaiting = 0;
    let sampling = true;
    const sample = () => {
      mostActive = Math.max(mostActive, gate.load.active);
      mostWaiting = Math.max(mostWaiting, gate.load.waiting);
      if (sampling) setImmediate(sample);
    };
    sample();
    const kinds = Array.from({ length: 24 }, (_, i): keyof typeof alone => (i % 2 === 0 ? 'search' : 'recommendations'));
    const responses = await Promise.all(kinds.map((kind) => (kind === 'search' ? search() : recommendations())));
    sampling = false;

    responses.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(res.body).toEqual(alone[kinds[i]]);
    });
    expect(mostActive).toBe(2);
    expect(mostWaiting).toBeGreaterThan(0);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });
});
