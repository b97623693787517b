import { OFFERING_JSON_FIELDS, PUBLIC_SESSION_JSON } from './catalogue-views.js';
import type { SearchSort } from './dto/search.dto.js';

export interface SearchParams {
  q?: string;
  theme?: string[];
  format?: string[];
  accessibility?: string[];
  targetGroup?: string[];
  municipality?: string[];
  county?: string[];
  /** Sessions starting at or after. */
  from?: Date;
  /** Sessions starting before. */
  to?: Date;
  online?: boolean;
  freeSeats?: boolean;
  near?: string;
  sort: SearchSort;
  limit: number;
  offset: number;
  now: Date;
}

/** Upcoming sessions shown per hit. */
export const SESSIONS_PER_HIT = 20;

/**
 * The whole search as ONE statement (so the service adds no round trips, and pgbench can run the
 * very same SQL): published offerings with at least one upcoming scheduled session matching the
 * session filters, ranked and paged with the total, each with its matching sessions. The result
 * is the response body itself (`{ items, total }` as JSON text, one row), so the service passes
 * the database's JSON on instead of parsing rows and serialising them again.
 * Every offering condition, including the place prefilter, is answered by the one multi-column
 * GIN index `ix_offerings_search`; the statement text depends only on which filters are present,
 * so the service runs it as a prepared statement.
 */
export function buildSearchSql(p: SearchParams): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const $ = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const offeringWhere = [`o.status = 'published'`];
  const tsQuery = p.q ? `websearch_to_tsquery('swedish', ${$(p.q)})` : null;
  if (tsQuery) offeringWhere.push(`o.search_vector @@ ${tsQuery}`);
  if (p.theme?.length) offeringWhere.push(`o.theme_codes && ${$(p.theme)}::varchar[]`);
  if (p.format?.length) offeringWhere.push(`o.format = ANY(${$(p.format)}::varchar[])`);
  if (p.accessibility?.length) offeringWhere.push(`o.accessibility_features @> ${$(p.accessibility)}::varchar[]`);
  if (p.targetGroup?.length) offeringWhere.push(`o.target_groups && ${$(p.targetGroup)}::varchar[]`);
  // `places` narrows the candidates inside the same GIN index scan; the session filters decide
  if (p.municipality?.length) offeringWhere.push(`o.places && ${$(p.municipality)}::varchar[]`);
  if (p.county?.length) offeringWhere.push(`o.places && ${$(p.county.map((code) => `county:${code}`))}::varchar[]`);
  if (p.online === true) offeringWhere.push(`o.places @> '{online}'::varchar[]`);

  const sessionWhere = [`s.status = 'scheduled'`, `s.starts_at > ${$(p.now)}::timestamptz`];
  if (p.from) sessionWhere.push(`s.starts_at >= ${$(p.from)}::timestamptz`);
  if (p.to) sessionWhere.push(`s.starts_at < ${$(p.to)}::timestamptz`);
  if (p.municipality?.length) sessionWhere.push(`s.municipality_code = ANY(${$(p.municipality)}::bpchar[])`);
  // The county's municipalities, read once per statement (an InitPlan), so that the sessions are
  // filtered inside the index-only scan instead of through a lookup of each session's municipality.
  if (p.county?.length)
    sessionWhere.push(`s.municipality_code = ANY(ARRAY(SELECT code FROM municipalities WHERE county_code = ANY(${$(p.county)}::bpchar[])))`);
  if (p.online === true) sessionWhere.push('s.online');
  if (p.online === false) sessionWhere.push('s.municipality_code IS NOT NULL');
  if (p.freeSeats) sessionWhere.push('s.seats_taken < s.capacity');

  let distance = 'NULL::int';
  if (p.near) {
    const near = $(p.near);
    distance = `min(CASE WHEN s.municipality_code = ${near}::bpchar THEN 0
      WHEN m.county_code = (SELECT county_code FROM municipalities WHERE code = ${near}::bpchar) THEN 1
      WHEN s.online THEN 2 ELSE 3 END)`;
  }
  const order =
    p.sort === 'relevance' && tsQuery
      ? 'rank DESC, first_start, id'
      : p.sort === 'distance' && p.near
        ? 'distance, first_start, id'
        : 'first_start, id';

  const sql = `WITH hits AS (
  SELECT o.id, ${tsQuery ? `ts_rank(o.search_vector, ${tsQuery})` : 'NULL::real'} AS rank,
         min(s.starts_at) AS first_start, ${distance} AS distance
    FROM offerings o
    JOIN sessions s ON s.offering_id = o.id${p.near ? '\n    LEFT JOIN municipalities m ON m.code = s.municipality_code' : ''}
   WHERE ${offeringWhere.join('\n     AND ')}
     AND ${sessionWhere.join('\n     AND ')}
   GROUP BY o.id
), page AS (
  SELECT id, rank, first_start, distance FROM hits ORDER BY ${order} LIMIT ${$(p.limit)} OFFSET ${$(p.offset)}
)
SELECT json_build_object(
  'items', coalesce(json_agg(json_build_object(${OFFERING_JSON_FIELDS},
    'sessions', (SELECT coalesce(json_agg(x.session ORDER BY x.starts_at, x.id), '[]'::json) FROM (
        SELECT ${PUBLIC_SESSION_JSON} AS session, s.starts_at, s.id
          FROM sessions s LEFT JOIN municipalities m ON m.code = s.municipality_code
         WHERE s.offering_id = o.id AND ${sessionWhere.join(' AND ')}
         ORDER BY s.starts_at, s.id LIMIT ${SESSIONS_PER_HIT}) x),
    'rank', round(page.rank::numeric, 4), 'distance', page.distance)
    ORDER BY ${order.replace(/\b(rank|first_start|distance|id)\b/g, 'page.$1')}), '[]'::json),
  'total', (SELECT count(*)::int FROM hits))::text AS body
  FROM page
  JOIN offerings o ON o.id = page.id
  JOIN providers p ON p.id = o.provider_id`;
  return { sql, values };
}
