import fc from 'fast-check';
import { WAITLIST_MODES } from '../../src/catalogue/session.entity.js';
import { toCandidate, WAITLIST_OPEN, type CandidateRow } from '../../src/matching/matching.repository.js';
import {
  ACCESSIBLE_SQL,
  CANDIDATE_DETAILS_SQL,
  candidatesSql,
  OFFERING_SCORE_SQL,
  SCORE_SQL,
  SESSION_BOUND_SQL,
  SESSION_SCORE_SQL,
} from '../../src/matching/matching.sql.js';
import { scoreMatch, WEIGHTS, type Candidate, type Need } from '../../src/matching/scoring.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The SQL score (matching.sql.ts) is the TS model compiled: for generated needs and candidates,
 * SCORE_SQL and ACCESSIBLE_SQL must give exactly what scoreMatch gives; SCORE_SQL is its offering
 * and session parts, and the session part never exceeds SESSION_BOUND_SQL, the bound recommendations
 * prune with (from the offering's places, before any session is read).
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

  /** A need as the SQL need row (NEED_COLUMNS) plus its index. */
  const needRow = (n: Need, idx: number) => ({
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
  });
  const NEED_ROWS_SQL = `SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(idx int, theme_code varchar, related_themes varchar[], formats varchar[],
           municipality_code bpchar, county_code bpchar, online boolean, accessibility varchar[], period_from timestamptz, period_to timestamptz,
           seasons varchar[], target_group varchar, languages varchar[])`;

  /** A published offering with one session (capacity 20) for a candidate, bookable until it starts unless `session` says otherwise. */
  async function insertCandidate(
    providerId: string,
    c: Candidate,
    session: { bookingOpensAt?: Date | null; bookingClosesAt?: Date; status?: 'scheduled' | 'cancelled'; waitlistMode?: string } = {},
  ): Promise<string> {
    const [o] = await db.query<{ id: string }>(
      `INSERT INTO offerings (provider_id, title, description, theme_codes, format, language, target_groups, accessibility_features, status, published_at)
       VALUES ($1, 'Kurs', 'Beskrivning', $2, $3, $4, $5, $6, 'published', now()) RETURNING id`,
      [providerId, c.themeCodes, c.format, c.language, c.targetGroups, c.accessibilityFeatures],
    );
    const capacity = 20;
    const [s] = await db.query<{ id: string }>(
      `INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, online, capacity, seats_taken,
                             booking_opens_at, booking_closes_at, status, waitlist_mode)
       VALUES ($1, $2, $2::timestamptz + interval '2 hours', $3, $4, $5, $6, $7, COALESCE($8, $2), $9, $10) RETURNING id`,
      [
        o.id,
        c.startsAt,
        c.municipalityCode,
        c.online,
        capacity,
        capacity - c.seatsLeft,
        session.bookingOpensAt ?? null,
        session.bookingClosesAt ?? null,
        session.status ?? 'scheduled',
        session.waitlistMode ?? 'offer',
      ],
    );
    return s.id;
  }

  it('for 40 needs × 60 candidates', async () => {
    const needs = fc.sample(needArb, { numRuns: 40, seed: 20270301 });
    const candidates = fc.sample(candidateArb, { numRuns: 60, seed: 20270302 });
    const [{ id: providerId }] = await db.query<{ id: string }>(`INSERT INTO providers (name, kind) VALUES ('Equivalence', 'study_association') RETURNING id`);
    const sessionIds: string[] = [];
    for (const c of candidates) sessionIds.push(await insertCandidate(providerId, c));
    const needRows = needs.map(needRow);
    const rows = await db.query<{
      idx: number;
      session_id: string;
      score: number;
      offering_part: number;
      session_part: number;
      session_bound: number;
      accessible: boolean;
    }>(
      `WITH n AS (${NEED_ROWS_SQL})
       SELECT n.idx, s.id AS session_id, ${SCORE_SQL}::int AS score, ${OFFERING_SCORE_SQL}::int AS offering_part, ${SESSION_SCORE_SQL}::int AS session_part,
              ${SESSION_BOUND_SQL}::int AS session_bound, (${ACCESSIBLE_SQL}) AS accessible
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
    // The bound is never below the session's part, reaches it for most pairs, and is below the most
    // any session gets (the best place and the timing) wherever the offering has no such place.
    const sessionMax = Math.max(WEIGHTS.placeOnlinePreferred, WEIGHTS.placeSameMunicipality, WEIGHTS.placeSameCounty, WEIGHTS.placeOnline) + WEIGHTS.timingInPeriod;
    expect(rows.filter((r) => r.session_part > r.session_bound)).toEqual([]);
    expect(rows.filter((r) => r.session_part === r.session_bound).length).toBeGreaterThan(rows.length / 3);
    expect(Math.max(...rows.map((r) => r.session_part))).toBe(sessionMax);
    expect(rows.filter((r) => r.session_bound < sessionMax).length).toBeGreaterThan(rows.length / 3);
    // The sample is varied: exclusions and a spread of scores.
    expect(rows.filter((r) => !r.accessible).length).toBeGreaterThan(0);
    expect(new Set(rows.filter((r) => r.accessible).map((r) => r.score)).size).toBeGreaterThan(15);
  });

  /**
   * "Not already full unless a waitlist is open": the model excludes a candidate with no seats left
   * and no open waitlist; in SQL a session's waitlist is open exactly while the session is bookable
   * (bookableSql: scheduled, inside its booking window, not started), in either waitlist mode, since
   * both take people when it is full (WAITLIST_OPEN). So a full session that is not bookable must be
   * gone from the SQL candidates (candidatesSql) and excluded as full by the model; a full bookable
   * one must be kept by both, with the same score, in either mode.
   */
  it('a full session is kept exactly while its waitlist is open: candidatesSql and scoreMatch agree', async () => {
    const now = new Date('2026-11-15T12:00:00Z'); // before every generated start
    type Window = 'open' | 'closed' | 'not_yet_open' | 'cancelled';
    const windows: Record<Window, { bookingOpensAt?: Date; bookingClosesAt?: Date; status?: 'cancelled' }> = {
      open: { bookingOpensAt: new Date(now.getTime() - 86_400_000) },
      closed: { bookingClosesAt: new Date(now.getTime() - 3600_000) },
      not_yet_open: { bookingOpensAt: new Date(now.getTime() + 86_400_000) },
      cancelled: { status: 'cancelled' },
    };
    const sessionArb = fc
      .record({
        candidate: candidateArb,
        full: fc.boolean(),
        waitlistMode: fc.constantFrom(...WAITLIST_MODES),
        window: fc.constantFrom<Window>('open', 'closed', 'not_yet_open', 'cancelled'),
      })
      .map(({ candidate, full, ...rest }) => ({ ...rest, full, candidate: { ...candidate, seatsLeft: full ? 0 : Math.max(1, candidate.seatsLeft) } }));
    const needs = fc.sample(needArb, { numRuns: 30, seed: 20270303 });
    const sessions = fc.sample(sessionArb, { numRuns: 80, seed: 20270304 });
    const [{ id: providerId }] = await db.query<{ id: string }>(`INSERT INTO providers (name, kind) VALUES ('Waitlists', 'study_association') RETURNING id`);
    const sessionIds: string[] = [];
    for (const s of sessions) sessionIds.push(await insertCandidate(providerId, s.candidate, { ...windows[s.window], waitlistMode: s.waitlistMode }));

    const rows = await db.query<{ idx: number; session_id: string; score: number; accessible: boolean }>(
      `WITH n AS (${NEED_ROWS_SQL})
       SELECT n.idx, s.id AS session_id, ${SCORE_SQL}::int AS score, (${ACCESSIBLE_SQL}) AS accessible
         FROM n, ${candidatesSql('$3::timestamptz')} AND s.id = ANY($2::uuid[])`,
      [JSON.stringify(needs.map(needRow)), sessionIds, now],
    );
    const sqlRows = new Map(rows.map((r) => [`${r.idx}/${r.session_id}`, r]));
    const sharesTheme = (n: Need, c: Candidate) => c.themeCodes.some((code) => code === n.themeCode || related(n.themeCode).includes(code));

    const mismatches: unknown[] = [];
    const compared = { fullExcluded: 0, fullKept: new Map<string, number>() };
    needs.forEach((n, idx) => {
      sessions.forEach((s, j) => {
        const row = sqlRows.get(`${idx}/${sessionIds[j]}`);
        const bookable = s.window === 'open';
        // The SQL prefilter: only bookable sessions of offerings sharing the theme (or a related one).
        if (!bookable || !sharesTheme(n, s.candidate)) {
          if (row) mismatches.push({ idx, session: s, sql: 'a candidate', expected: 'not a candidate' });
          if (!s.full || !sharesTheme(n, s.candidate)) return;
        }
        // A full session: the model, told whether its waitlist is open (as SQL defines it), against SQL.
        const match = scoreMatch(n, { ...s.candidate, waitlistOpen: WAITLIST_OPEN && bookable }, parents);
        const ts = match.excluded ? `excluded: ${match.reason.code}` : match.score;
        const sql = !row ? 'excluded: full' : row.accessible ? row.score : 'excluded: accessibility_missing';
        // The model checks accessibility first; SQL drops an unbookable session before asking.
        const same = sql === ts || (ts === 'excluded: accessibility_missing' && sql === 'excluded: full' && !bookable);
        if (!same) mismatches.push({ idx, session: s, sql, ts });
        if (s.full && ts === 'excluded: full') compared.fullExcluded++;
        if (s.full && typeof ts === 'number') compared.fullKept.set(s.waitlistMode, (compared.fullKept.get(s.waitlistMode) ?? 0) + 1);
      });
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The sample has both sides of the rule: full sessions excluded as full, and full ones kept in every waitlist mode.
    expect(compared.fullExcluded).toBeGreaterThan(10);
    expect([...compared.fullKept.keys()].sort()).toEqual([...WAITLIST_MODES].sort());

    // The service's own mapping (toCandidate, WAITLIST_OPEN) keeps every full session SQL returns, with SQL's score and the waitlist reason.
    const fullKeptRows = rows.filter((r) => r.accessible && sessions[sessionIds.indexOf(r.session_id)].full);
    expect(fullKeptRows.length).toBeGreaterThan(0);
    const details = new Map(
      (await db.query<CandidateRow>(CANDIDATE_DETAILS_SQL, [[...new Set(fullKeptRows.map((r) => r.session_id))]])).map((d) => [d.session_id, d]),
    );
    for (const r of fullKeptRows) {
      const candidate = toCandidate(details.get(r.session_id)!);
      expect(candidate.seatsLeft).toBe(0);
      const match = scoreMatch(needs[r.idx], candidate, parents);
      expect(match).toMatchObject({ excluded: false, score: r.score });
      expect(match.excluded ? [] : match.reasons.map((reason) => reason.code)).toContain('waitlist');
    }
  });
});
