import { WEIGHTS } from './scoring.js';

/**
 * The scoring model (scoring.ts) as one SQL expression, so that candidates are ranked and paged in
 * the database. It is generated from WEIGHTS, and `matching-sql.e2e-spec.ts` asserts that it gives
 * exactly `scoreMatch`'s score for generated needs and candidates: the TS model stays the single
 * source of truth, this is its compiled form.
 *
 * Aliases: `n` a need row with NEED_COLUMNS, `o` an offering (of offerings, or of matching_offerings,
 * which has the same columns the model reads), `s` a session, `m` the session's municipality (LEFT
 * JOIN, null for online-only sessions).
 */
const W = WEIGHTS;

/** Columns a need row must have (see `statementNeedsSql`). */
export const NEED_COLUMNS = [
  'theme_code', // varchar
  'related_themes', // varchar[]: the parent theme, child themes and sibling themes (partial credit)
  'formats', // varchar[], ranked
  'municipality_code', // bpchar or null
  'county_code', // bpchar or null
  'online', // boolean: the need asks for online
  'accessibility', // varchar[]: every one must be provided
  'period_from', // timestamptz or null
  'period_to', // timestamptz or null
  'seasons', // varchar[]: spring | summer | autumn | winter
  'target_group', // varchar or null
  'languages', // varchar[]; empty: Swedish
] as const;

/** The season a session starts in, in Swedish time (as `seasonOf`). */
export const SESSION_SEASON_SQL = `(ARRAY['winter','winter','spring','spring','spring','summer','summer','summer','autumn','autumn','autumn','winter'])[
    extract(month FROM s.starts_at AT TIME ZONE 'Europe/Stockholm')::int]`;

/**
 * `scoreMatch`'s score for a candidate that is not excluded (0–100), in two parts: what depends on
 * the offering only (theme, format, target group, language) and what depends on the session
 * (place, timing). Recommendations rank offerings by the first part and score the sessions of the
 * promising ones only (RECOMMENDATIONS_SQL), which needs SESSION_BOUND_SQL to bound the second.
 */
export const OFFERING_SCORE_SQL = `(
    CASE WHEN n.theme_code = ANY(o.theme_codes) THEN ${W.themeExact}
         WHEN o.theme_codes && n.related_themes THEN ${W.themeParent} ELSE 0 END
  + CASE array_position(n.formats, o.format::varchar) ${W.formatByRank.map((points, i) => `WHEN ${i + 1} THEN ${points}`).join(' ')} ELSE 0 END
  + CASE WHEN n.target_group IS NULL OR n.target_group = ANY(o.target_groups) THEN ${W.targetGroup} ELSE 0 END
  + CASE WHEN o.language = ANY(CASE WHEN cardinality(n.languages) = 0 THEN ARRAY['sv']::varchar[] ELSE n.languages END)
         THEN ${W.language} ELSE 0 END
  )`;

export const SESSION_SCORE_SQL = `(
    CASE WHEN s.online AND n.online THEN ${W.placeOnlinePreferred}
         WHEN NOT s.online AND n.municipality_code IS NOT NULL AND s.municipality_code = n.municipality_code
           THEN CASE WHEN n.online THEN ${W.placeSameCounty} ELSE ${W.placeSameMunicipality} END
         WHEN NOT s.online AND n.county_code IS NOT NULL AND m.county_code = n.county_code
           THEN CASE WHEN n.online THEN ${W.placeOnline} ELSE ${W.placeSameCounty} END
         WHEN s.online THEN ${W.placeOnline}
         ELSE ${W.placeElsewhere} END
  + CASE WHEN (n.period_from IS NULL OR (s.starts_at >= n.period_from AND s.starts_at <= n.period_to))
          AND (cardinality(n.seasons) = 0 OR ${SESSION_SEASON_SQL} = ANY(n.seasons)) THEN ${W.timingInPeriod} ELSE 0 END
  )`;

/**
 * The most SESSION_SCORE_SQL can give any session of offering `o` for need `n`, from the places of
 * the offering's scheduled sessions (`o.places`: municipality codes, `county:<code>`, `online`, the
 * catalogue's trigger-kept list): the best place case the list allows, plus the timing. Each case of
 * SESSION_SCORE_SQL's place needs its entry in the list (an online session `online`, a session in
 * the need's municipality that code, in its county `county:<code>`) except "elsewhere", so this is
 * never below a scheduled session's own part, and usually far closer to it than the most any
 * session can get (the best place and the timing).
 */
export const SESSION_BOUND_SQL = `(GREATEST(${W.placeElsewhere},
      CASE WHEN 'online' = ANY(o.places) THEN CASE WHEN n.online THEN ${W.placeOnlinePreferred} ELSE ${W.placeOnline} END ELSE 0 END,
      CASE WHEN n.municipality_code::varchar = ANY(o.places) THEN CASE WHEN n.online THEN ${W.placeSameCounty} ELSE ${W.placeSameMunicipality} END ELSE 0 END,
      CASE WHEN 'county:' || n.county_code = ANY(o.places) THEN CASE WHEN n.online THEN ${W.placeOnline} ELSE ${W.placeSameCounty} END ELSE 0 END)
  + ${W.timingInPeriod})`;

export const SCORE_SQL = `(${OFFERING_SCORE_SQL} + ${SESSION_SCORE_SQL})`;

/** Every stated accessibility need is provided (otherwise the model excludes the candidate). */
export const ACCESSIBLE_SQL = 'o.accessibility_features @> n.accessibility';

/**
 * Bookable now ($now): scheduled, booking window open, not started. Full sessions stay: both
 * waitlist modes ('offer' and 'auto') take people when a session is full (see WAITLIST_OPEN).
 */
export const bookableSql = (now: string) =>
  `s.status = 'scheduled' AND s.starts_at > ${now} AND s.booking_closes_at > ${now} AND (s.booking_opens_at IS NULL OR s.booking_opens_at <= ${now})`;

/**
 * Candidate sessions of a need row `n`: published offerings sharing a theme (exact or related;
 * GIN `&&` on matching_offerings, the narrow copy of the published offerings' matching columns),
 * bookable sessions (ix_sessions_offering_starts), the session's municipality.
 */
export const candidatesSql = (now: string) => `matching_offerings o
      JOIN sessions s ON s.offering_id = o.offering_id AND ${bookableSql(now)}
      LEFT JOIN municipalities m ON m.code = s.municipality_code
     WHERE o.theme_codes && (ARRAY[n.theme_code]::varchar[] || n.related_themes)`;

/**
 * Needs from statements (`st`, with its invitation `i`): the need's place is the stated
 * municipality or else the organisation's (as in the needs report); the target group follows the
 * organisation's sector; the extra accessibility needs (a person's profile) are added to the
 * statement's own. `where` selects the statements.
 */
export function statementNeedsSql(where: string, extraAccessibility = `'{}'::varchar[]`, source = 'needs_statements'): string {
  return `SELECT st.id, st.round_id, st.organisation_id, st.person_user_id, st.created_at, st.theme_code,
         ARRAY(SELECT t.code FROM themes t
                WHERE t.code = th.parent_code OR t.parent_code = st.theme_code
                   OR (th.parent_code IS NOT NULL AND t.parent_code = th.parent_code AND t.code <> st.theme_code)
                ORDER BY t.code)::varchar[] AS related_themes,
         st.preferred_formats::varchar[] AS formats,
         nm.code AS municipality_code, nm.county_code, st.online,
         ARRAY(SELECT DISTINCT x FROM unnest(st.accessibility_needs || ${extraAccessibility}) x ORDER BY x)::varchar[] AS accessibility,
         NULL::timestamptz AS period_from, NULL::timestamptz AS period_to,
         st.preferred_periods::varchar[] AS seasons,
         (CASE i.sector WHEN 'public' THEN 'public_sector' ELSE 'social_economy' END)::varchar AS target_group,
         '{}'::varchar[] AS languages
    FROM ${source} st
    JOIN needs_round_organisations i ON i.round_id = st.round_id AND i.organisation_id = st.organisation_id
    JOIN themes th ON th.code = st.theme_code
    JOIN municipalities nm ON nm.code = COALESCE(st.municipality_code, i.municipality_code)
   WHERE ${where}`;
}

/**
 * Rounds whose statements drive recommendations: every open round, and the most recently closed
 * one (so that recommendations do not vanish the day a round closes).
 */
export const CURRENT_ROUNDS_SQL = `SELECT id FROM needs_rounds WHERE status = 'open'
   UNION (SELECT id FROM needs_rounds WHERE status = 'closed' ORDER BY closes_at DESC, id LIMIT 1)`;

/**
 * The signed-in person's needs ($1 user id, $2 theme codes to keep, none: all): their own statements
 * and their organisations' statements in the current rounds, with their profile's accessibility
 * needs added. (An array rather than a nullable code, so that pgbench can pass it to the prepared statement.)
 */
export const MY_NEEDS_SQL = statementNeedsSql(
  'cardinality($2::varchar[]) = 0 OR st.theme_code = ANY($2::varchar[])',
  `COALESCE((SELECT pp.accessibility_needs FROM person_profiles pp WHERE pp.user_id = $1), '{}')::varchar[]`,
  // Two index-driven branches (ix_needs_statements_person, ix_needs_statements_round_org) rather than one OR over the table.
  `(SELECT own.* FROM needs_statements own WHERE own.person_user_id = $1 AND own.round_id IN (${CURRENT_ROUNDS_SQL})
    UNION ALL
    SELECT org.* FROM organisation_members om
      JOIN needs_statements org ON org.organisation_id = om.organisation_id AND org.round_id IN (${CURRENT_ROUNDS_SQL})
     WHERE om.user_id = $1 AND org.person_user_id IS NULL)`,
);

/**
 * A candidate's columns but its id (CandidateRow) from its session `s`, offering `o`, provider `p`
 * and municipality `m`: what the model and the response need of a session on a page.
 */
const CANDIDATE_DETAIL_COLUMNS = `s.starts_at, s.ends_at, s.municipality_code, m.name AS municipality_name, m.county_code,
       s.online, s.capacity, s.seats_taken, s.waitlist_mode, s.booking_closes_at, s.requires_approval,
       o.id AS offering_id, o.title, o.provider_id, p.name AS provider_name, o.theme_codes, o.format, o.language,
       o.target_groups, o.accessibility_features, o.price_sek`;

/**
 * How many sessions, per place on the page, recommendations score before taking the floor (see
 * RECOMMENDATIONS_SQL). Any value gives the same page: a larger one scores more sessions up front,
 * a smaller one makes it likelier that offerings below the first cut must be scored too. In the
 * benchmark 4 scored 252 sessions and left none to the second round; 1 scored 37 first and 735 after.
 */
const TOP_SESSIONS_FACTOR = 4;

const PROFILE_COLUMNS = NEED_COLUMNS.filter((c) => c !== 'theme_code' && c !== 'related_themes').join(', ');

/** The bookable sessions `s` of the candidate offerings `c` (those that have any) that pass `where`, each with its best score over its need profiles. */
const scoredSessionsSql = (where: string) => `SELECT s.id AS session_id, s.starts_at,
         (SELECT max(p.a + ${SESSION_SCORE_SQL}) FROM unnest(c.profiles, c.parts) AS p(k, a) JOIN n ON n.k = p.k)::int AS score
    FROM candidate c
    JOIN sessions s ON s.offering_id = c.offering_id AND ${bookableSql('$3::timestamptz')}
    LEFT JOIN municipalities m ON m.code = s.municipality_code
   WHERE c.sessions > 0 AND ${where}`;

/**
 * One page of recommendations for a person ($1 user, $2 themes to keep, none: all, $3 now, $4 limit,
 * $5 offset): the person's needs are folded into distinct need profiles (identical statements score
 * alike); a session's score is its best over the profiles, and the page is ranked best first,
 * earlier start and id on ties. Returns per session of the page its id, score, the total and what
 * the model and the response need of it (CANDIDATE_DETAIL_COLUMNS), and on the first row the
 * person's needs (MY_NEEDS_SQL's rows as a JSON array, in the order the statements were made); or
 * one row with a null session id and the total when the page is empty. The service adds the
 * reasons. One statement, so that a page costs one round trip to the database (plus the sign-in's).
 *
 * The page is exactly the one that scoring every candidate would give, but most candidates are never
 * read. Each candidate offering (from matching_offerings, the narrow copy of the published ones)
 * gets per profile the offering part of its score (OFFERING_SCORE_SQL, a) and the most its sessions
 * can add (SESSION_BOUND_SQL, from the offering's places), so b, the best a + bound over the
 * profiles, is the most any of its sessions can score; its bookable sessions are counted
 * (index-only, for the total) but not read. The sessions of the offerings with the highest b, down
 * to where they number at least TOP_SESSIONS_FACTOR × ($4 + $5), are read and scored (top); the
 * ($4 + $5)th best of those scores is a floor the page's last session reaches. No other session
 * scores above its offering's b, so only the offerings whose b reaches the floor have their sessions
 * scored as well (rest, usually none); the others rank below at least $4 + $5 sessions.
 */
export const RECOMMENDATIONS_SQL = `WITH n0 AS (${MY_NEEDS_SQL}),
n AS MATERIALIZED (
  SELECT row_number() OVER () AS k, theme_code, related_themes, ${PROFILE_COLUMNS}
    FROM n0 GROUP BY theme_code, related_themes, ${PROFILE_COLUMNS}
),
offering_part AS MATERIALIZED (
  SELECT n.k, o.offering_id, ${OFFERING_SCORE_SQL} AS a, ${SESSION_BOUND_SQL} AS bound
    FROM n
    JOIN matching_offerings o ON o.theme_codes && (ARRAY[n.theme_code]::varchar[] || n.related_themes) AND ${ACCESSIBLE_SQL}
),
candidate AS MATERIALIZED (
  SELECT b.*, (SELECT count(*) FROM sessions s WHERE s.offering_id = b.offering_id AND ${bookableSql('$3::timestamptz')})::int AS sessions
    FROM (SELECT offering_id, max(a + bound) AS b, array_agg(k) AS profiles, array_agg(a) AS parts FROM offering_part GROUP BY offering_id) b
),
top_level AS (
  SELECT b FROM (SELECT b, sum(sum(sessions)) OVER (ORDER BY b DESC) AS reached FROM candidate GROUP BY b) l
   WHERE reached >= ${TOP_SESSIONS_FACTOR} * ($4::int + $5::int) ORDER BY b DESC LIMIT 1
),
top AS MATERIALIZED (${scoredSessionsSql('c.b >= COALESCE((SELECT b FROM top_level), -1)')}),
floor AS (SELECT score FROM top ORDER BY score DESC OFFSET $4::int + $5::int - 1 LIMIT 1),
rest AS (${scoredSessionsSql('c.b < (SELECT b FROM top_level) AND c.b >= (SELECT score FROM floor)')}),
page AS (
  SELECT *, row_number() OVER (ORDER BY score DESC, starts_at, session_id) AS rn FROM (
    SELECT * FROM top UNION ALL SELECT * FROM rest
     ORDER BY score DESC, starts_at, session_id
     LIMIT $4::int OFFSET $5::int) p
)
SELECT page.session_id, page.score, t.total, ${CANDIDATE_DETAIL_COLUMNS},
       CASE WHEN page.rn = 1 THEN (SELECT json_agg(n0 ORDER BY n0.created_at, n0.id) FROM n0) END AS needs
  FROM (SELECT coalesce(sum(sessions), 0)::int AS total FROM candidate) t
  LEFT JOIN page ON true
  LEFT JOIN sessions s ON s.id = page.session_id
  LEFT JOIN offerings o ON o.id = s.offering_id
  LEFT JOIN providers p ON p.id = o.provider_id
  LEFT JOIN municipalities m ON m.code = s.municipality_code
 ORDER BY page.rn`;

/**
 * One statement's candidates ($1 statement, $2 now, $3 limit, $4 offset): the accessible ones
 * ranked (a page), and beside them the best-scoring ones the model excludes (same page size), so
 * that an admin sees why they do not fit; with both totals.
 */
export const STATEMENT_MATCHES_SQL = `WITH n AS (${statementNeedsSql('st.id = $1')}),
c AS MATERIALIZED (
  SELECT s.id AS session_id, s.starts_at, ${SCORE_SQL}::int AS score, (${ACCESSIBLE_SQL}) AS accessible
    FROM n, ${candidatesSql('$2::timestamptz')}
),
t AS (SELECT count(*) FILTER (WHERE accessible)::int AS matched, count(*) FILTER (WHERE NOT accessible)::int AS excluded FROM c)
SELECT x.session_id, x.starts_at, x.score, x.accessible, t.matched, t.excluded
  FROM t LEFT JOIN LATERAL (
    (SELECT * FROM c WHERE accessible ORDER BY score DESC, starts_at, session_id LIMIT $3 OFFSET $4)
    UNION ALL
    (SELECT * FROM c WHERE NOT accessible ORDER BY score DESC, starts_at, session_id LIMIT $3 OFFSET $4)
  ) x ON true`;

/** What the model and the response need of the page's sessions ($1 session ids). */
export const CANDIDATE_DETAILS_SQL = `SELECT s.id AS session_id, ${CANDIDATE_DETAIL_COLUMNS}
  FROM sessions s
  JOIN offerings o ON o.id = s.offering_id
  JOIN providers p ON p.id = o.provider_id
  LEFT JOIN municipalities m ON m.code = s.municipality_code
 WHERE s.id = ANY($1::uuid[])`;

/** Theme parents and accessibility feature names, for the model's reasons. */
export const REFERENCE_SQL = `SELECT 'theme' AS kind, code, parent_code AS a, NULL AS b FROM themes WHERE parent_code IS NOT NULL
 UNION ALL SELECT 'feature', code, name_sv, name_en FROM accessibility_features`;

/**
 * Upcoming supply per theme ($2 now): published offerings' scheduled sessions that have not
 * started, per theme and county; online sessions (online = true, with or without a place) under
 * county NULL, since they can be attended from every county.
 */
const SUPPLY_CTE = `supply AS (
  SELECT t.theme_code, CASE WHEN s.online THEN NULL ELSE m.county_code END AS county_code,
         count(*)::int AS sessions, sum(s.capacity - s.seats_taken)::int AS seats
    FROM offerings o
    JOIN sessions s ON s.offering_id = o.id AND s.status = 'scheduled' AND s.starts_at > $2::timestamptz
    LEFT JOIN municipalities m ON m.code = s.municipality_code
   CROSS JOIN LATERAL unnest(o.theme_codes) AS t(theme_code)
   WHERE o.status = 'published'
   GROUP BY 1, 2)`;

/** People per theme and county in a round ($1), where the need is (stated municipality, else the organisation's), with first-choice formats ranked. */
const DEMAND_CTE = `d AS (
  SELECT st.theme_code, nm.county_code, st.preferred_formats[1]::varchar AS format, sum(st.people)::int AS people
    FROM needs_statements st
    JOIN needs_round_organisations i ON i.round_id = st.round_id AND i.organisation_id = st.organisation_id
    JOIN municipalities nm ON nm.code = COALESCE(st.municipality_code, i.municipality_code)
   WHERE st.round_id = $1
   GROUP BY 1, 2, 3),
demand AS (
  SELECT theme_code, county_code, sum(people)::int AS people,
         COALESCE((array_agg(format ORDER BY people DESC, format) FILTER (WHERE format IS NOT NULL))[1:3], '{}')::varchar[] AS formats
    FROM d GROUP BY 1, 2)`;

/**
 * A cell's best offerings (`fit`: theme_code, county_code, offering_id, title, provider_name, score
 * per cell and offering): the top 3 by score, then title and id. The third best score of each cell
 * is found on scores alone, so only the rows that reach it are sorted with their titles.
 */
const COVERAGE_TOP_CTE = `top AS (
  SELECT theme_code, county_code,
         json_agg(json_build_object('offeringId', offering_id, 'title', title, 'providerName', provider_name, 'score', score)
                  ORDER BY score DESC, title, offering_id) AS best
    FROM (SELECT f.*, row_number() OVER (PARTITION BY f.theme_code, f.county_code ORDER BY f.score DESC, f.title, f.offering_id) AS rn
            FROM fit f
            JOIN (SELECT theme_code, county_code, COALESCE(max(score) FILTER (WHERE reached >= 3), min(score)) AS third
                    FROM (SELECT theme_code, county_code, score, sum(count(*)) OVER (PARTITION BY theme_code, county_code ORDER BY score DESC) AS reached
                            FROM fit GROUP BY 1, 2, 3) levels
                   GROUP BY 1, 2) t ON t.theme_code = f.theme_code AND t.county_code = f.county_code AND f.score >= t.third) f
   WHERE rn <= 3
   GROUP BY 1, 2
)`;

/**
 * The cells' fit (see COVERAGE_TOP_CTE): each cell as a need `n` against every published offering
 * with the theme, over its upcoming sessions in the county or online. A cell need has no period, no
 * seasons, no municipality and does not ask for online, so a session's part of the score depends
 * only on whether it is online or in the cell's county: each offering is summarised once (the
 * counties of its upcoming in-person sessions, whether it has an upcoming online one, its first
 * start), and each (cell, offering) is scored once by SCORE_SQL on the session that scores best for
 * that cell: one in the county if there is one (same county beats online), else an online one.
 * `test/e2e/matching-pruning.e2e-spec.ts` checks the report against scoring every session.
 */
const COVERAGE_FIT_CTES = `offering_summary AS MATERIALIZED (
  SELECT o.id AS offering_id, o.title, p.name AS provider_name, o.theme_codes, o.format, o.language, o.target_groups, o.accessibility_features,
         COALESCE(array_agg(DISTINCT m.county_code) FILTER (WHERE NOT s.online), '{}') AS counties,
         bool_or(s.online) AS online, min(s.starts_at) AS starts_at
    FROM offerings o
    JOIN providers p ON p.id = o.provider_id
    JOIN sessions s ON s.offering_id = o.id AND s.status = 'scheduled' AND s.starts_at > $2::timestamptz
    LEFT JOIN municipalities m ON m.code = s.municipality_code
   WHERE o.status = 'published'
   GROUP BY o.id, p.name
),
fit AS (
  SELECT n.theme_code, n.county_code, o.offering_id, o.title, o.provider_name, (${SCORE_SQL})::int AS score
    FROM n
    JOIN (SELECT op.*, t.theme_code AS listed_theme FROM offering_summary op CROSS JOIN LATERAL unnest(op.theme_codes) AS t(theme_code)) o
      ON o.listed_theme = n.theme_code AND (n.county_code = ANY(o.counties) OR o.online)
    CROSS JOIN LATERAL (SELECT NOT (n.county_code = ANY(o.counties)) AS online, NULL::bpchar AS municipality_code, o.starts_at) s
    CROSS JOIN LATERAL (SELECT n.county_code) m(county_code)
)`;

/**
 * The coverage report of a round ($1 round, $2 now), with `fitCtes` defining `fit` from the cells
 * as needs `n` and `topCte` its `top` (COVERAGE_FIT_CTES and COVERAGE_TOP_CTE; the e2e test passes
 * the straightforward formulations: every session scored, every row sorted).
 * Cells: every theme and county with demand, and every theme and county with in-person supply.
 * Seats are free seats in upcoming sessions of the theme in the county plus those of online
 * sessions (which count for every county). The best offerings of a cell: the top 3 by the model's
 * score against the cell as a need (its theme, its county, the cell's most wanted first-choice
 * formats), over sessions in the county or online. Order: demand without supply first, then the
 * largest gap.
 */
export const coverageSql = (fitCtes: string, topCte: string) => `WITH ${DEMAND_CTE},
${SUPPLY_CTE},
cells AS (
  SELECT COALESCE(d.theme_code, sp.theme_code) AS theme_code, COALESCE(d.county_code, sp.county_code) AS county_code,
         COALESCE(d.people, 0) AS people, COALESCE(d.formats, '{}')::varchar[] AS formats,
         COALESCE(sp.sessions, 0) AS local_sessions, COALESCE(sp.seats, 0) AS local_seats
    FROM demand d
    FULL JOIN (SELECT * FROM supply WHERE county_code IS NOT NULL) sp ON sp.theme_code = d.theme_code AND sp.county_code = d.county_code
),
cov AS (
  SELECT c.*, COALESCE(onl.sessions, 0) AS online_sessions, COALESCE(onl.seats, 0) AS online_seats,
         c.local_seats + COALESCE(onl.seats, 0) AS seats
    FROM cells c LEFT JOIN supply onl ON onl.theme_code = c.theme_code AND onl.county_code IS NULL
),
n AS (
  SELECT theme_code, '{}'::varchar[] AS related_themes, formats, NULL::bpchar AS municipality_code, county_code, false AS online,
         '{}'::varchar[] AS accessibility, NULL::timestamptz AS period_from, NULL::timestamptz AS period_to, '{}'::varchar[] AS seasons,
         NULL::varchar AS target_group, '{}'::varchar[] AS languages
    FROM cov
),
${fitCtes},
${topCte}
SELECT cov.theme_code, cov.county_code, cn.county_name, cov.people, cov.seats, cov.local_seats, cov.online_seats,
       cov.local_sessions + cov.online_sessions AS sessions, cov.people - cov.seats AS gap, COALESCE(top.best, '[]'::json) AS best
  FROM cov
  JOIN (SELECT DISTINCT county_code, county_name FROM municipalities) cn ON cn.county_code = cov.county_code
  LEFT JOIN top ON top.theme_code = cov.theme_code AND top.county_code = cov.county_code
 ORDER BY (cov.people > 0 AND cov.seats = 0) DESC, cov.people - cov.seats DESC, cov.theme_code, cov.county_code`;

export const COVERAGE_SQL = coverageSql(COVERAGE_FIT_CTES, COVERAGE_TOP_CTE);

/**
 * A provider's demand view ($1 round, $2 now, $3 provider): people per theme and county (every
 * theme with demand), whether the provider offers the theme (a published offering), and the free
 * seats all providers offer there (in the county or online). The service suppresses people under 5.
 */
export const PROVIDER_DEMAND_SQL = `WITH ${DEMAND_CTE},
${SUPPLY_CTE},
offered AS (SELECT DISTINCT unnest(theme_codes)::varchar AS theme_code FROM offerings WHERE provider_id = $3 AND status = 'published')
SELECT dm.theme_code, dm.county_code, cn.county_name, dm.people,
       EXISTS (SELECT 1 FROM offered WHERE offered.theme_code = dm.theme_code) AS offered,
       COALESCE(loc.seats, 0) + COALESCE(onl.seats, 0) AS seats
  FROM demand dm
  JOIN (SELECT DISTINCT county_code, county_name FROM municipalities) cn ON cn.county_code = dm.county_code
  LEFT JOIN supply loc ON loc.theme_code = dm.theme_code AND loc.county_code = dm.county_code
  LEFT JOIN supply onl ON onl.theme_code = dm.theme_code AND onl.county_code IS NULL
 ORDER BY 5 DESC, dm.theme_code, dm.county_code`;
