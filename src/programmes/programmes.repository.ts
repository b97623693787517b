import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from './programme-access.service.js';

/**
 * The programmes module's set-based reads across modules, kept in this one file so that they can
 * be declared as the module's boundary. Tables read, by owner:
 * - programmes (own): programmes, interventions, intervention_offerings
 * - catalogue: offerings (provider_id, accessibility_features), sessions (starts_at, ends_at, status)
 * - bookings: bookings (session_id, user_id, organisation_id, status, attended, accessibility_requests)
 * - organisations: person_profiles (gender), organisations (municipality_code)
 * - follow-up: evaluation_invitations (offering_id, sent_at), evaluation_responses (offering_id, answers)
 * - reference: municipalities
 * Everything else these modules hold is read through their services.
 */

/** An intervention `i` the viewer may read (`p` the parameter of its provider ids, `c` of its counties). */
const visibleSql = (p: string, c: string) => `(i.provider_id = ANY(${p}::uuid[]) OR i.counties && ${c}::bpchar[]
   OR EXISTS (SELECT 1 FROM intervention_offerings io JOIN offerings o ON o.id = io.offering_id
               WHERE io.intervention_id = i.id AND o.provider_id = ANY(${p}::uuid[])))`;
const VISIBLE_SQL = visibleSql('$2', '$3');

export function visibleParams(viewer: Viewer): [string[], string[]] {
  return viewer.all ? [[], []] : [viewer.providerIds, viewer.counties];
}

/**
 * Progress per intervention of programme $1 ($2 now, $3 the overall question's key, $4 intervention
 * ids, null: all). Participants are people: booked = people with a confirmed booking on a session of
 * a linked offering, attended = people recorded as attended on one, each split by the gender in
 * their profile; participant hours = the hours of the sessions each attended (the whole hours the
 * provider recorded where it recorded fewer, as the ESF register counts them); sessions held =
 * sessions of linked offerings that have ended and were not cancelled; evaluations = invitations
 * sent and responses for the linked offerings, with the mean of the overall question's numeric
 * answers and how many gave one.
 */
export const PROGRESS_SQL = `WITH iv AS (
  SELECT i.id FROM interventions i WHERE i.programme_id = $1 AND ($4::uuid[] IS NULL OR i.id = ANY($4::uuid[]))
),
lo AS (SELECT io.intervention_id, io.offering_id FROM intervention_offerings io JOIN iv ON iv.id = io.intervention_id),
ss AS (
  SELECT lo.intervention_id, s.id, s.ends_at, s.status, extract(epoch FROM s.ends_at - s.starts_at) / 3600.0 AS hours
    FROM lo JOIN sessions s ON s.offering_id = lo.offering_id
),
bk AS (
  SELECT ss.intervention_id, b.user_id, bool_or(b.attended IS TRUE) AS attended,
         sum(COALESCE(b.attended_hours, ss.hours)) FILTER (WHERE b.attended IS TRUE) AS hours
    FROM ss JOIN bookings b ON b.session_id = ss.id AND b.status = 'confirmed'
   GROUP BY 1, 2
),
people AS (
  SELECT bk.intervention_id,
         count(*)::int AS booked,
         count(*) FILTER (WHERE p.gender = 'woman')::int AS booked_women,
         count(*) FILTER (WHERE p.gender = 'man')::int AS booked_men,
         count(*) FILTER (WHERE p.gender = 'non_binary_other')::int AS booked_other,
         count(*) FILTER (WHERE bk.attended)::int AS attended,
         count(*) FILTER (WHERE bk.attended AND p.gender = 'woman')::int AS attended_women,
         count(*) FILTER (WHERE bk.attended AND p.gender = 'man')::int AS attended_men,
         count(*) FILTER (WHERE bk.attended AND p.gender = 'non_binary_other')::int AS attended_other,
         COALESCE(sum(bk.hours), 0)::float8 AS hours_delivered
    FROM bk LEFT JOIN person_profiles p ON p.user_id = bk.user_id
   GROUP BY 1
),
held AS (
  SELECT intervention_id, count(*) FILTER (WHERE status <> 'cancelled' AND ends_at <= $2::timestamptz)::int AS sessions_held,
         count(*) FILTER (WHERE status <> 'cancelled')::int AS sessions
    FROM ss GROUP BY 1
),
inv AS (
  SELECT lo.intervention_id, count(*)::int AS invited
    FROM lo JOIN evaluation_invitations e ON e.offering_id = lo.offering_id AND e.sent_at IS NOT NULL
   GROUP BY 1
),
res AS (
  SELECT lo.intervention_id, count(*)::int AS responses,
         count(*) FILTER (WHERE jsonb_typeof(r.answers -> $3::text) = 'number')::int AS overall_answers,
         avg((r.answers ->> $3::text)::float8) FILTER (WHERE jsonb_typeof(r.answers -> $3::text) = 'number') AS overall_mean
    FROM lo JOIN evaluation_responses r ON r.offering_id = lo.offering_id
   GROUP BY 1
)
SELECT iv.id AS intervention_id,
       COALESCE(people.booked, 0) AS booked, COALESCE(people.booked_women, 0) AS booked_women, COALESCE(people.booked_men, 0) AS booked_men,
       COALESCE(people.booked_other, 0) AS booked_other,
       COALESCE(people.attended, 0) AS attended, COALESCE(people.attended_women, 0) AS attended_women,
       COALESCE(people.attended_men, 0) AS attended_men, COALESCE(people.attended_other, 0) AS attended_other,
       COALESCE(people.hours_delivered, 0) AS hours_delivered,
       COALESCE(held.sessions_held, 0) AS sessions_held, COALESCE(held.sessions, 0) AS sessions,
       COALESCE(inv.invited, 0) AS invited, COALESCE(res.responses, 0) AS responses,
       COALESCE(res.overall_answers, 0) AS overall_answers, res.overall_mean
  FROM iv
  LEFT JOIN people ON people.intervention_id = iv.id
  LEFT JOIN held ON held.intervention_id = iv.id
  LEFT JOIN inv ON inv.intervention_id = iv.id
  LEFT JOIN res ON res.intervention_id = iv.id`;

export interface ProgressRow {
  intervention_id: string;
  booked: number;
  booked_women: number;
  booked_men: number;
  booked_other: number;
  attended: number;
  attended_women: number;
  attended_men: number;
  attended_other: number;
  hours_delivered: number;
  sessions_held: number;
  sessions: number;
  invited: number;
  responses: number;
  overall_answers: number;
  overall_mean: number | null;
}

/**
 * For the accessibility and marketing parts of the programme document ($1 programme): per linked
 * offering's intervention, the accessibility requests made in confirmed bookings and whether the
 * offering provides each; and the reach so far (organisations and counties of booked people).
 */
export const BOOKING_REQUESTS_SQL = `SELECT req.code, count(*)::int AS requests, count(*) FILTER (WHERE req.code = ANY(o.accessibility_features))::int AS provided
  FROM interventions i
  JOIN intervention_offerings io ON io.intervention_id = i.id
  JOIN offerings o ON o.id = io.offering_id
  JOIN sessions s ON s.offering_id = o.id
  JOIN bookings b ON b.session_id = s.id AND b.status = 'confirmed'
  CROSS JOIN LATERAL unnest(b.accessibility_requests) AS req(code)
 WHERE i.programme_id = $1 AND i.status <> 'cancelled'
 GROUP BY 1 ORDER BY 2 DESC, 1`;

export const REACH_SQL = `SELECT count(DISTINCT b.user_id)::int AS people, count(DISTINCT b.organisation_id)::int AS organisations,
       COALESCE(array_agg(DISTINCT m.county_code) FILTER (WHERE m.county_code IS NOT NULL), '{}') AS counties
  FROM interventions i
  JOIN intervention_offerings io ON io.intervention_id = i.id
  JOIN sessions s ON s.offering_id = io.offering_id
  JOIN bookings b ON b.session_id = s.id AND b.status = 'confirmed'
  LEFT JOIN organisations org ON org.id = b.organisation_id
  LEFT JOIN municipalities m ON m.code = org.municipality_code
 WHERE i.programme_id = $1 AND i.status <> 'cancelled'`;

export interface EsfDelivery {
  programmeId: string;
  interventionId: string;
  offeringId: string;
}

@Injectable()
export class ProgrammesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Ids of the programme's interventions the viewer may read, oldest first. */
  async visibleInterventionIds(programmeId: string, viewer: Viewer, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT i.id FROM interventions i WHERE i.programme_id = $1 AND ($4::boolean OR ${VISIBLE_SQL}) ORDER BY i.created_at, i.id`,
      [programmeId, ...visibleParams(viewer), viewer.all],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Programmes with at least one intervention the viewer may read, with how many. */
  async visibleProgrammes(viewer: Viewer, limit: number, offset: number): Promise<{ rows: { id: string; interventions: number }[]; total: number }> {
    const rows = (await this.dataSource.query(
      `WITH v AS (
         SELECT p.id, p.created_at, (SELECT count(*) FROM interventions i WHERE i.programme_id = p.id AND ($3::boolean OR ${visibleSql('$1', '$2')}))::int AS interventions
           FROM programmes p)
       SELECT id, interventions, count(*) OVER ()::int AS total FROM v
        WHERE $3::boolean OR interventions > 0
        ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`,
      [...visibleParams(viewer), viewer.all, limit, offset],
    )) as { id: string; interventions: number; total: number }[];
    if (rows.length === 0 && offset > 0) {
      const [count] = (await this.dataSource.query(
        `SELECT count(*)::int AS n FROM programmes p WHERE $3::boolean OR EXISTS (SELECT 1 FROM interventions i WHERE i.programme_id = p.id AND ${visibleSql('$1', '$2')})`,
        [...visibleParams(viewer), viewer.all],
      )) as { n: number }[];
      return { rows: [], total: count.n };
    }
    return { rows, total: rows[0]?.total ?? 0 };
  }

  /** Whether the viewer may read this intervention. */
  async canRead(interventionId: string, viewer: Viewer): Promise<boolean> {
    if (viewer.all) return true;
    const rows = (await this.dataSource.query(`SELECT 1 FROM interventions i WHERE i.id = $1 AND ${VISIBLE_SQL}`, [interventionId, ...visibleParams(viewer)])) as unknown[];
    return rows.length > 0;
  }

  progress(programmeId: string, now: Date, overallKey: string, interventionIds: string[] | null): Promise<ProgressRow[]> {
    return this.dataSource.query(PROGRESS_SQL, [programmeId, now, overallKey, interventionIds]);
  }

  /** The ESF programme (esfReporting) whose intervention a session's offering delivers, if any. */
  async esfDeliveryOfSession(manager: EntityManager, sessionId: string): Promise<EsfDelivery | null> {
    const [row] = (await manager.query(
      `SELECT p.id AS programme_id, i.id AS intervention_id, s.offering_id
         FROM sessions s
         JOIN intervention_offerings io ON io.offering_id = s.offering_id
         JOIN interventions i ON i.id = io.intervention_id AND i.status <> 'cancelled'
         JOIN programmes p ON p.id = i.programme_id AND p.esf_reporting
        WHERE s.id = $1`,
      [sessionId],
    )) as { programme_id: string; intervention_id: string; offering_id: string }[];
    return row ? { programmeId: row.programme_id, interventionId: row.intervention_id, offeringId: row.offering_id } : null;
  }

  bookingRequests(programmeId: string): Promise<{ code: string; requests: number; provided: number }[]> {
    return this.dataSource.query(BOOKING_REQUESTS_SQL, [programmeId]);
  }

  async reach(programmeId: string): Promise<{ people: number; organisations: number; counties: string[] }> {
    const [row] = (await this.dataSource.query(REACH_SQL, [programmeId])) as { people: number; organisations: number; counties: string[] }[];
    return row;
  }
}
