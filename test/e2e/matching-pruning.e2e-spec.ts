import { ACCESSIBLE_SQL, candidatesSql, COVERAGE_SQL, coverageSql, MY_NEEDS_SQL, NEED_COLUMNS, RECOMMENDATIONS_SQL, SCORE_SQL } from '../../src/matching/matching.sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * RECOMMENDATIONS_SQL scores only the offerings that can reach the page; its pages and total must be
 * exactly those of scoring every candidate (below: the person's distinct needs × every accessible
 * bookable candidate, each session's best score, ranked best first, earlier start and id on ties).
 * Generated supply: hierarchical and flat themes, every format, places in and out of the needs'
 * counties and online, accessibility, target groups, languages, sessions that are not bookable, and
 * few start times, so that scores and starts tie.
 */
const FULL_SCORING_SQL = `WITH n AS (SELECT DISTINCT ${NEED_COLUMNS.join(', ')} FROM (${MY_NEEDS_SQL}) n0),
best AS (
  SELECT s.id AS session_id, min(s.starts_at) AS starts_at, max(${SCORE_SQL})::int AS score
    FROM n, ${candidatesSql('$3::timestamptz')} AND ${ACCESSIBLE_SQL}
   GROUP BY s.id
)
SELECT session_id, score FROM best ORDER BY score DESC, starts_at, session_id`;

/**
 * The coverage report the straightforward way: every upcoming session in the cell's county or online
 * scored as the cell's need, each offering's best per cell, every row sorted for the top 3.
 */
const FULL_COVERAGE_SQL = coverageSql(
  `fit AS (
  SELECT n.theme_code, n.county_code, o.id AS offering_id, o.title, p.name AS provider_name, max(${SCORE_SQL})::int AS score
    FROM n
    JOIN offerings o ON o.theme_codes @> ARRAY[n.theme_code]::varchar[] AND o.status = 'published'
    JOIN providers p ON p.id = o.provider_id
    JOIN sessions s ON s.offering_id = o.id AND s.status = 'scheduled' AND s.starts_at > $2::timestamptz
    LEFT JOIN municipalities m ON m.code = s.municipality_code
   WHERE s.online OR m.county_code = n.county_code
   GROUP BY n.theme_code, n.county_code, o.id, p.name
)`,
  `top AS (
  SELECT theme_code, county_code,
         json_agg(json_build_object('offeringId', offering_id, 'title', title, 'providerName', provider_name, 'score', score)
                  ORDER BY score DESC, title, offering_id) AS best
    FROM (SELECT fit.*, row_number() OVER (PARTITION BY theme_code, county_code ORDER BY score DESC, title, offering_id) AS rn FROM fit) f
   WHERE rn <= 3
   GROUP BY 1, 2
)`,
);

describe('matching: recommendations and coverage are exactly those of scoring every candidate', () => {
  let db: TestDatabase;
  let userId: string;
  let roundId: string;
  const now = new Date('2027-01-10T12:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    let seed = 20270110;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const some = <T>(items: readonly T[], max: number): T[] => [...new Set(Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(items)))];

    await db.query(`INSERT INTO themes (code, name_sv, name_en, parent_code) VALUES
      ('procurement_law', 'Upphandlingsrätt', 'Procurement law', 'public_procurement'),
      ('procurement_tenders', 'Anbud', 'Tenders', 'public_procurement')`);
    const themes = ['public_procurement', 'procurement_law', 'procurement_tenders', 'digital_skills', 'volunteers', 'gender_equality'];
    const formats = ['study_circle', 'short_course', 'lecture_series', 'study_visit', 'team_series', 'higher_ed_course', 'online_course'];
    const features = ['induction_loop', 'captions', 'step_free_access'];
    const municipalities = ['0380', '0330', '0580', '0581', '1880', '1980'];

    [{ id: userId }] = await db.query<{ id: string }>(`INSERT INTO users (email) VALUES ('pruning@example.se') RETURNING id`);
    await db.query(`INSERT INTO person_profiles (user_id, accessibility_needs) VALUES ($1, '{}')`, [userId]);
    [{ id: roundId }] = await db.query<{ id: string }>(
      `INSERT INTO needs_rounds (title, opens_at, closes_at, invite_scope, status) VALUES ('Runda', $1::timestamptz - interval '10 days', $1::timestamptz + interval '30 days', 'all', 'open') RETURNING id`,
      [now],
    );
    const organisations: { id: string; municipality: string; sector: string }[] = [];
    for (const [i, [municipality, county, sector]] of [
      ['0380', '03', 'social_economy'],
      ['0580', '05', 'public'],
    ].entries()) {
      const [{ id }] = await db.query<{ id: string }>(
        `INSERT INTO organisations (name, org_number, legal_form, sector, municipality_code) VALUES ($1, $2, 'ideell_forening', $3, $4) RETURNING id`,
        [`Förening ${i}`, `80200${i}-000${i}`, sector, municipality],
      );
      await db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'employee')`, [id, userId]);
      await db.query(
        `INSERT INTO needs_round_organisations (round_id, organisation_id, municipality_code, county_code, legal_form, sector, invited_at)
         VALUES ($1, $2, $3, $4, 'ideell_forening', $5, now())`,
        [roundId, id, municipality, county, sector],
      );
      organisations.push({ id, municipality, sector });
    }
    // Seven statements: the organisations' and one of the person's own, two of them alike.
    const statement = async (org: string, person: string | null, theme: string, fields: Record<string, unknown> = {}) =>
      db.query(
        `INSERT INTO needs_statements (round_id, organisation_id, person_user_id, theme_code, people, preferred_formats, municipality_code, online, preferred_periods, accessibility_needs)
         VALUES ($1, $2, $3, $4, 3, $5, $6, $7, $8, $9)`,
        [
          roundId,
          org,
          person,
          theme,
          fields.formats ?? some(formats, 3),
          fields.municipality ?? null,
          fields.online ?? false,
          fields.seasons ?? some(['spring', 'summer', 'autumn', 'winter'], 2),
          fields.accessibility ?? [],
        ],
      );
    await statement(organisations[0].id, null, 'public_procurement', { formats: ['short_course', 'study_circle'], seasons: ['spring'] });
    await statement(organisations[0].id, null, 'public_procurement', { formats: ['short_course', 'study_circle'], seasons: ['spring'] });
    await statement(organisations[0].id, null, 'procurement_law', { online: true, accessibility: ['induction_loop'] });
    await statement(organisations[0].id, null, 'digital_skills', { municipality: '1880' });
    await statement(organisations[1].id, null, 'volunteers', { formats: ['team_series'], seasons: [] });
    await statement(organisations[1].id, null, 'public_procurement', { municipality: '0581', accessibility: ['captions'] });
    await statement(organisations[0].id, userId, 'digital_skills', { online: true, formats: ['online_course'] });
    // Demand in a county without in-person supply (Södermanland): the coverage report's best there are online only.
    await statement(organisations[1].id, null, 'volunteers', { municipality: '0480', formats: ['study_circle'], seasons: [] });

    const [{ id: providerId }] = await db.query<{ id: string }>(`INSERT INTO providers (name, kind) VALUES ('Pruning', 'study_association') RETURNING id`);
    const day = 86_400_000;
    const starts = Array.from({ length: 12 }, (_, i) => new Date(now.getTime() + (i * 17 + 3) * day));
    for (let i = 0; i < 400; i++) {
      const [{ id: offeringId }] = await db.query<{ id: string }>(
        `INSERT INTO offerings (provider_id, title, description, theme_codes, format, language, target_groups, accessibility_features, status, published_at)
         VALUES ($1, $2, 'Beskrivning', $3, $4, $5, $6, $7, $8, now()) RETURNING id`,
        [
          providerId,
          `Kurs ${i % 7}`, // few titles: the coverage report's top 3 tie on score and title
          [pick(themes), ...some(themes, 1)].filter((t, j, all) => all.indexOf(t) === j),
          pick(formats),
          random() < 0.85 ? 'sv' : 'en',
          pick([['social_economy'], ['public_sector'], ['social_economy', 'public_sector']]),
          some(features, 3),
          random() < 0.9 ? 'published' : 'draft',
        ],
      );
      for (let j = Math.floor(random() * 5); j > 0; j--) {
        const startsAt = pick(starts);
        const online = random() < 0.25;
        const bookable = random();
        await db.query(
          `INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, online, capacity, seats_taken, booking_opens_at, booking_closes_at, status)
           VALUES ($1, $2, $2::timestamptz + interval '3 hours', $3, $4, 10, $5, $6, $7, $8)`,
          [
            offeringId,
            bookable < 0.05 ? new Date(now.getTime() - day) : startsAt,
            online && random() < 0.5 ? null : pick(municipalities),
            online,
            Math.floor(random() * 11),
            bookable < 0.1 ? new Date(now.getTime() + day) : null,
            bookable < 0.15 ? new Date(now.getTime() - 2 * day) : new Date(startsAt.getTime() - day),
            bookable > 0.95 ? 'cancelled' : 'scheduled',
          ],
        );
      }
    }
    await db.query('ANALYZE');
  });
  afterAll(() => db.drop());

  it.each([[[]], [['public_procurement']], [['digital_skills']], [['gender_equality']]])('pages the same sessions and scores, with the same total (themes %j)', async (themeCodes) => {
    const full = await db.query<{ session_id: string; score: number }>(FULL_SCORING_SQL, [userId, themeCodes, now]);
    if (themeCodes.length === 0) {
      // The sample is varied: many candidates, a spread of scores, ties on score.
      expect(full.length).toBeGreaterThan(300);
      expect(new Set(full.map((r) => r.score)).size).toBeGreaterThan(15);
    }
    const pages = [
      [1, 0],
      [5, 0],
      [20, 0],
      [20, 20],
      [7, 13],
      [100, 0],
      [50, 150],
      [100, 280],
      [3, Math.max(0, full.length - 2)],
      [20, full.length],
      [20, 100_000],
    ];
    for (const [limit, offset] of pages) {
      const rows = await db.query<{ session_id: string | null; score: number | null; total: number }>(RECOMMENDATIONS_SQL, [userId, themeCodes, now, limit, offset]);
      const page = rows.filter((r) => r.session_id !== null).map(({ session_id, score }) => ({ session_id, score }));
      expect({ limit, offset, total: rows[0].total, page }).toEqual({ limit, offset, total: full.length, page: full.slice(offset, offset + limit) });
    }
  });

  it('gives the coverage report of scoring every session: cells, seats and the best three of each cell', async () => {
    const expected = await db.query<{ county_code: string; local_seats: number; online_seats: number; best: unknown[] }>(FULL_COVERAGE_SQL, [roundId, now]);
    // The sample is varied: several cells with a full top 3, and one (Södermanland) served online only.
    expect(expected.length).toBeGreaterThan(8);
    expect(expected.filter((cell) => cell.best.length === 3).length).toBeGreaterThan(4);
    expect(expected.find((cell) => cell.county_code === '04')).toMatchObject({ local_seats: 0, best: [expect.anything(), expect.anything(), expect.anything()] });
    expect(await db.query(COVERAGE_SQL, [roundId, now])).toEqual(expected);
  });
});
