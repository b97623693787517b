import fc from 'fast-check';
import { ACCESSIBLE_SQL, OFFERING_SCORE_SQL, SCORE_SQL, SESSION_SCORE_MAX, SESSION_SCORE_SQL } from '../../src/matching/matching.sql.js';
import { scoreMatch, type Candidate, type Need } from '../../src/matching/scoring.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The SQL score (matching.sql.ts) is the TS model compiled: for generated needs and candidates,
 * SCORE_SQL and ACCESSIBLE_SQL must give exactly what scoreMatch gives; SCORE_SQL is its offering
 * and session parts, and the session part never exceeds SESSION_SCORE_MAX (recommendations prune with it).
 */
describe('matching: the SQL score equals scoreMatch', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // A hierarchy, so that the parent/child/sibling credit is exercised (the seed themes are flat).
    await db.query(`INSERT INTO themes (code, name_sv, name_en, parent_code) VALUES
      ('procurement_law', 'Upphandlingsrätt', 'Procurement law', 'public_procurement'),
      ('procurement_tenders', 'Anbud', 'Tenders', 'public_procurement')`);
  });
  afterAll(() => db.drop());

  const parents = new Map([
    ['procurement_law', 'public_procurement'],
    ['procurement_tenders', 'public_procurement'],
  ]);
  const themes = ['public_procurement', 'procurement_law', 'procurement_tenders', 'digital_skills', 'volunteers'];
  /** What the SQL need row carries as related_themes (as statementNeedsSql derives it from `themes`). */
  const related = (code: string) =>
    themes.filter((c) => c !== code && (c === parents.get(code) || parents.get(c) === code || (parents.get(code) !== undefined && parents.get(c) === parents.get(code))));

  const features = fc.constantFrom('induction_loop', 'sign_language', 'easy_to_read', 'step_free_access', 'captions');
  const formats = fc.constantFrom('short_course', 'study_circle', 'lecture_series', 'online_course');
  const places = fc.constantFrom(
    { municipalityCode: '0380', countyCode: '03', online: false },
    { municipalityCode: '0330', countyCode: '03', online: false },
    { municipalityCode: '0580', countyCode: '05', online: false },
    { municipalityCode: null, countyCode: null, online: true },
    { municipalityCode: '0580', countyCode: '05', online: true },
  );
  const needArb: fc.Arbitrary<Need> = fc.record({
    themeCode: fc.constantFrom(...themes),
    preferredFormats: fc.uniqueArray(formats, { maxLength: 4 }),
    municipalityCode: fc.constantFrom('0380', '0580', null),
    countyCode: fc.constantFrom('03', '05', null),
    online: fc.boolean(),
    accessibilityNeeds: fc.uniqueArray(features, { maxLength: 2 }),
    period: fc.constantFrom(null, { from: new Date('2027-01-01T00:00:00Z'), to: new Date('2027-06-30T00:00:00Z') }),
    seasons: fc.uniqueArray(fc.constantFrom('spring' as const, 'summer' as const, 'autumn' as const, 'winter' as const), { maxLength: 2 }),
    targetGroup: fc.constantFrom('social_economy' as const, 'public_sector' as const, null),
    languages: fc.constantFrom([], ['sv', 'en'], ['en']),
  });
  const candidateArb: fc.Arbitrary<Candidate> = fc
    .record({
      themeCodes: fc.uniqueArray(fc.constantFrom(...themes), { minLength: 1, maxLength: 3 }),
      format: formats,
      place: places,
      accessibilityFeatures: fc.uniqueArray(features, { maxLength: 5 }),
      startsAt: fc.date({ min: new Date('2026-12-01T00:00:00Z'), max: new Date('2027-12-01T00:00:00Z'), noInvalidDate: true }),
      seatsLeft: fc.integer({ min: 0, max: 20 }),
      targetGroups: fc.uniqueArray(fc.constantFrom('social_economy', 'public_sector'), { minLength: 1 }),
      language: fc.constantFrom('sv', 'en'),
    })
    .map(({ place, ...rest }) => ({ ...rest, ...place, waitlistOpen: true }));

  it('for 40 needs × 60 candidates', async () => {
    const needs = fc.sample(needArb, { numRuns: 40, seed: 20270301 });
    const candidates = fc.sample(candidateArb, { numRuns: 60, seed: 20270302 });
    const [{ id: providerId }] = await db.query<{ id: string }>(`INSERT INTO providers (name, kind) VALUES ('Equivalence', 'study_association') RETURNING id`);
    const sessionIds: string[] = [];
    for (const c of candidates) {
      const [o] = await db.query<{ id: string }>(
        `INSERT INTO offerings (provider_id, title, description, theme_codes, format, language, target_groups, accessibility_features, status, published_at)
         VALUES ($1, 'Kurs', 'Beskrivning', $2, $3, $4, $5, $6, 'published', now()) RETURNING id`,
        [providerId, c.themeCodes, c.format, c.language, c.targetGroups, c.accessibilityFeatures],
      );
      const capacity = 20;
      const [s] = await db.query<{ id: string }>(
        `INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, online, capacity, seats_taken, booking_closes_at)
         VALUES ($1, $2, $2::timestamptz + interval '2 hours', $3, $4, $5, $6, $2) RETURNING id`,
        [o.id, c.startsAt, c.municipalityCode, c.online, capacity, capacity - c.seatsLeft],
      );
      sessionIds.push(s.id);
    }
    const needRows = needs.map((n, idx) => ({
      idx,
      theme_code: n.themeCode,
      related_themes: related(n.themeCode),
      formats: n.preferredFormats,
      municipality_code: n.municipalityCode,
      county_code: n.countyCode,
      online: n.online,
      accessibility: n.accessibilityNeeds,
      period_from: n.period?.from.toISOString() ?? null,
      period_to: n.period?.to.toISOString() ?? null,
      seasons: n.seasons,
      target_group: n.targetGroup,
      languages: n.languages,
    }));
    const rows = await db.query<{ idx: number; session_id: string; score: number; offering_part: number; session_part: number; accessible: boolean }>(
      `WITH n AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(idx int, theme_code varchar, related_themes varchar[], formats varchar[],
           municipality_code bpchar, county_code bpchar, online boolean, accessibility varchar[], period_from timestamptz, period_to timestamptz,
           seasons varchar[], target_group varchar, languages varchar[]))
       SELECT n.idx, s.id AS session_id, ${SCORE_SQL}::int AS score, ${OFFERING_SCORE_SQL}::int AS offering_part, ${SESSION_SCORE_SQL}::int AS session_part,
              (${ACCESSIBLE_SQL}) AS accessible
         FROM n, offerings o JOIN sessions s ON s.offering_id = o.id LEFT JOIN municipalities m ON m.code = s.municipality_code
        WHERE s.id = ANY($2::uuid[])`,
      [JSON.stringify(needRows), sessionIds],
    );
    expect(rows).toHaveLength(needs.length * candidates.length);
    const mismatches = rows.flatMap((row) => {
      const match = scoreMatch(needs[row.idx], candidates[sessionIds.indexOf(row.session_id)], parents);
      const sql = row.accessible ? row.score : 'excluded';
      const ts = match.excluded ? 'excluded' : match.score;
      return sql === ts ? [] : [{ need: needs[row.idx], candidate: candidates[sessionIds.indexOf(row.session_id)], sql, ts }];
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(rows.filter((r) => r.offering_part + r.session_part !== r.score)).toEqual([]);
    expect(Math.max(...rows.map((r) => r.session_part))).toBe(SESSION_SCORE_MAX);
    // The sample is varied: exclusions and a spread of scores.
    expect(rows.filter((r) => !r.accessible).length).toBeGreaterThan(0);
    expect(new Set(rows.filter((r) => r.accessible).map((r) => r.score)).size).toBeGreaterThan(15);
  });
});
