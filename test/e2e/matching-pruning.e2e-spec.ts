import { ACCESSIBLE_SQL, candidatesSql, MY_NEEDS_SQL, NEED_COLUMNS, RECOMMENDATIONS_SQL, SCORE_SQL } from '../../src/matching/matching.sql.js';
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

describe('matching: recommendations are exactly those of scoring every candidate', () => {
  let db: TestDatabase;
  let userId: string;
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
    const [{ id: roundId }] = await db.query<{ id: string }>(
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

    const [{ id: providerId }] = await db.query<{ id: string }>(`INSERT INTO providers (name, kind) VALUES ('Pruning', 'study_association') RETURNING id`);
    const day = 86_400_000;
    const starts = Array.from({ length: 12 }, (_, i) => new Date(now.getTime() + (i * 17 + 3) * day));
    for (let i = 0; i < 400; i++) {
      const [{ id: offeringId }] = await db.query<{ id: string }>(
        `INSERT INTO offerings (provider_id, title, description, theme_codes, format, language, target_groups, accessibility_features, status, published_at)
         VALUES ($1, 'Kurs', 'Beskrivning', $2, $3, $4, $5, $6, $7, now()) RETURNING id`,
        [
          providerId,
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
});
