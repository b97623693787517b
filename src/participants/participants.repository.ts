import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rows } from '../database/sql.js';

/**
 * The participants module's reads across modules, kept in this one file so that they are declared
 * as its boundary (module-boundaries.spec.ts). Tables read, by owner:
 * - participants (own): participant_identities, esf_participants, esf_time_entries, esf_time_reports
 * - programmes: programmes (ends_on, unit cost), interventions, intervention_offerings (which sessions deliver an ESF programme)
 * - catalogue: sessions (starts_at: upcoming bookings)
 * - bookings: bookings (an active booking on an ESF session: who may enter an identity number, who may leave)
 * - auth: users (name and email in the register; erased accounts)
 * - organisations: organisations (the organisation number at the start, its municipality), person_profiles (gender,
 *   birth year, education for the register and indicators), person_sensitive_data (disability, counted
 *   only), organisation_members (org admins' people)
 */

/** A session of an ESF programme's intervention, as SQL over `s` (sessions) joined to a programme `p`. */
const ESF_SESSIONS = `sessions s
  JOIN intervention_offerings io ON io.offering_id = s.offering_id
  JOIN interventions i ON i.id = io.intervention_id AND i.status <> 'cancelled'
  JOIN programmes p ON p.id = i.programme_id AND p.esf_reporting`;

/** The end date that counts: the one recorded, or the programme's end once it is past (`$today`). */
export const effectiveEndSql = (today: string) => `LEAST(ep.ended_on, CASE WHEN pg.ends_on < ${today}::date THEN pg.ends_on END)`;

export interface RegisterRow {
  id: string;
  user_id: string;
  name: string | null;
  email: string;
  erased: boolean;
  organisation_id: string | null;
  org_number: string | null;
  started_on: string;
  ended_on: string | null;
  end_reason: string | null;
  gender: string | null;
  hours_attended: number;
  certified_hours: number;
  has_identity: boolean;
  total: number;
}

export interface TimeReportRow {
  id: string;
  participant_id: string;
  user_id: string;
  programme_id: string;
  programme_title: string;
  time_cosign: boolean;
  organisation_id: string | null;
  month: string;
  version: number;
  status: string;
  hours: string;
  sessions: number;
  lines: TimeReportLine[] | null;
  corrects_report_id: string | null;
  certified_at: Date | null;
  cosigned_at: Date | null;
  total: number;
}

export interface CofinancingRow {
  organisation_id: string | null;
  org_number: string | null;
  organisation_name: string | null;
  month: string;
  certified_hours: string;
  uncertified_hours: string;
  value_sek: string | null;
}

export interface IndicatorRow {
  gender: string | null;
  education_level: string | null;
  age: number | null;
  municipality_code: string | null;
  municipality_name: string | null;
  county_code: string | null;
  county_name: string | null;
  disability: string | null;
}

export type TimeReportLine = { day: string; sessionId: string; offeringId: string; hours: number };

@Injectable()
export class ParticipantsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the person is (or is booked to become) a participant of an ESF programme. */
  async takesPartInEsf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = rows<{ yes: boolean }>(
      await manager.query(
        `SELECT EXISTS (SELECT 1 FROM esf_participants WHERE user_id = $1)
             OR EXISTS (SELECT 1 FROM bookings b JOIN ${ESF_SESSIONS} ON s.id = b.session_id
                         WHERE b.user_id = $1 AND b.status IN ('pending_approval', 'confirmed', 'waitlisted', 'offered')) AS yes`,
        [userId],
      ),
    );
    return row.yes;
  }

  /** The organisation number of an organisation (kept on the participant as it was at the start). */
  async orgNumber(manager: EntityManager, organisationId: string | null): Promise<string | null> {
    if (!organisationId) return null;
    const [row] = rows<{ org_number: string }>(await manager.query('SELECT org_number FROM organisations WHERE id = $1', [organisationId]));
    return row?.org_number ?? null;
  }

  /** Whether the person has a booking on a session of this programme that has not started yet. */
  async hasUpcomingBooking(manager: EntityManager, programmeId: string, userId: string, now: Date): Promise<boolean> {
    const [row] = rows<{ yes: boolean }>(
      await manager.query(
        `SELECT EXISTS (SELECT 1 FROM bookings b JOIN ${ESF_SESSIONS} ON s.id = b.session_id
                         WHERE p.id = $1 AND b.user_id = $2 AND s.starts_at > $3 AND s.status = 'scheduled'
                           AND b.status IN ('pending_approval', 'confirmed', 'waitlisted', 'offered')) AS yes`,
        [programmeId, userId, now],
      ),
    );
    return row.yes;
  }

  /** Whether the person is a member (any role) of the organisation. */
  async isMember(organisationId: string, userId: string): Promise<boolean> {
    const found = rows(await this.dataSource.query('SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2', [organisationId, userId]));
    return found.length > 0;
  }

  /** The register of a programme, in order of start ($2 today in Stockholm). */
  async register(programmeId: string, today: string, limit: number | null, offset: number): Promise<RegisterRow[]> {
    return rows<RegisterRow>(
      await this.dataSource.query(
        `SELECT ep.id, ep.user_id, u.name, u.email, u.erased_at IS NOT NULL AS erased, ep.organisation_id, ep.org_number,
                to_char(ep.started_on, 'YYYY-MM-DD') AS started_on, to_char(${effectiveEndSql('$2')}, 'YYYY-MM-DD') AS ended_on, ep.end_reason,
                pr.gender,
                COALESCE((SELECT sum(e.hours) FROM esf_time_entries e WHERE e.participant_id = ep.id), 0)::float8 AS hours_attended,
                COALESCE((SELECT sum(r.hours) FROM esf_time_reports r WHERE r.participant_id = ep.id AND r.status IN ('certified', 'cosigned')), 0)::float8 AS certified_hours,
                EXISTS (SELECT 1 FROM participant_identities pi WHERE pi.user_id = ep.user_id) AS has_identity,
                count(*) OVER ()::int AS total
           FROM esf_participants ep
           JOIN programmes pg ON pg.id = ep.programme_id
           JOIN users u ON u.id = ep.user_id
           LEFT JOIN person_profiles pr ON pr.user_id = ep.user_id
          WHERE ep.programme_id = $1
          ORDER BY ep.started_on, ep.id
          LIMIT $3 OFFSET $4`,
        [programmeId, today, limit, offset],
      ),
    );
  }

  /** A person's own participations ($2 today). */
  async participationsOf(userId: string, today: string) {
    return rows<{ id: string; programme_id: string; title: string; started_on: string; ended_on: string | null; end_reason: string | null; hours: number }>(
      await this.dataSource.query(
        `SELECT ep.id, ep.programme_id, pg.title, to_char(ep.started_on, 'YYYY-MM-DD') AS started_on,
                to_char(${effectiveEndSql('$2')}, 'YYYY-MM-DD') AS ended_on, ep.end_reason,
                COALESCE((SELECT sum(e.hours) FROM esf_time_entries e WHERE e.participant_id = ep.id), 0)::float8 AS hours
           FROM esf_participants ep JOIN programmes pg ON pg.id = ep.programme_id
          WHERE ep.user_id = $1 ORDER BY ep.started_on, ep.id`,
        [userId, today],
      ),
    );
  }

  /**
   * Makes the people participants of the programme (or keeps them), in one statement: the start is
   * the earliest attended day; attending after an end reopens the participation. The organisation
   * number is taken from the organisation the session was booked through. Answers user id → participant id.
   */
  async upsertParticipants(
    manager: EntityManager,
    programmeId: string,
    people: Array<{ userId: string; organisationId: string | null }>,
    day: string,
  ): Promise<Map<string, string>> {
    const upserted = rows<{ id: string; user_id: string }>(
      await manager.query(
        `INSERT INTO esf_participants (programme_id, user_id, organisation_id, org_number, started_on)
         SELECT $1, p.user_id, p.organisation_id, o.org_number, $4::date
           FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS p(user_id, organisation_id, n)
           LEFT JOIN organisations o ON o.id = p.organisation_id
          ORDER BY p.n
         ON CONFLICT ON CONSTRAINT uq_esf_participants_programme_user DO UPDATE
           SET started_on = LEAST(esf_participants.started_on, EXCLUDED.started_on),
               ended_on = CASE WHEN esf_participants.ended_on < $4::date THEN NULL ELSE esf_participants.ended_on END,
               end_reason = CASE WHEN esf_participants.ended_on < $4::date THEN NULL ELSE esf_participants.end_reason END,
               updated_at = now()
         RETURNING id, user_id`,
        [programmeId, people.map((p) => p.userId), people.map((p) => p.organisationId), day],
      ),
    );
    return new Map(upserted.map((r) => [r.user_id, r.id]));
  }

  /**
   * After attendance was withdrawn: each start is the first day still attended; a participant with
   * no attended day and nothing certified was never one, and is removed.
   */
  async refreshStarts(manager: EntityManager, participantIds: string[]): Promise<void> {
    await manager.query(
      `UPDATE esf_participants ep
          SET started_on = f.first, updated_at = now(),
              ended_on = CASE WHEN ep.ended_on < f.first THEN NULL ELSE ep.ended_on END,
              end_reason = CASE WHEN ep.ended_on < f.first THEN NULL ELSE ep.end_reason END
         FROM (SELECT participant_id, min(day) AS first FROM esf_time_entries WHERE participant_id = ANY($1::uuid[]) GROUP BY participant_id) f
        WHERE ep.id = f.participant_id AND ep.started_on <> f.first`,
      [participantIds],
    );
    await manager.query(
      `DELETE FROM esf_participants ep WHERE ep.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM esf_time_entries e WHERE e.participant_id = ep.id)
          AND NOT EXISTS (SELECT 1 FROM esf_time_reports r WHERE r.participant_id = ep.id AND r.status <> 'open')`,
      [participantIds],
    );
  }

  /** What the participants' month says now, line by line (participant id → lines). */
  async entryLinesOf(manager: EntityManager, participantIds: string[], month: string): Promise<Map<string, TimeReportLine[]>> {
    const found = rows<{ participant_id: string; day: string; session_id: string; offering_id: string; hours: number }>(
      await manager.query(
        `SELECT e.participant_id, to_char(e.day, 'YYYY-MM-DD') AS day, e.session_id, e.offering_id, e.hours::float8 AS hours
           FROM esf_time_entries e
          WHERE e.participant_id = ANY($1::uuid[]) AND e.day >= $2::date AND e.day < ($2::date + interval '1 month')
          ORDER BY e.participant_id, e.day, e.session_id`,
        [participantIds, month],
      ),
    );
    const out = new Map<string, TimeReportLine[]>();
    for (const l of found) {
      if (!out.has(l.participant_id)) out.set(l.participant_id, []);
      out.get(l.participant_id)!.push({ day: l.day, sessionId: l.session_id, offeringId: l.offering_id, hours: Math.round(l.hours * 10) / 10 });
    }
    return out;
  }

  /** What a participant's month says now, line by line. */
  async entryLines(manager: EntityManager, participantId: string, month: string): Promise<TimeReportLine[]> {
    return (await this.entryLinesOf(manager, [participantId], month)).get(participantId) ?? [];
  }

  /** Time reports by person, organisation or id, newest month first; an open report's lines are read from the hours recorded. */
  async timeReports(
    filter: { userId?: string; organisationId?: string; reportId?: string; month?: string; status?: string; programmeId?: string },
    limit: number,
    offset: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ rows: TimeReportRow[]; total: number }> {
    const found = rows<TimeReportRow>(
      await manager.query(
        `SELECT r.id, r.participant_id, ep.user_id, ep.programme_id, pg.title AS programme_title, pg.time_cosign, ep.organisation_id,
                to_char(r.month, 'YYYY-MM-DD') AS month, r.version, r.status, r.hours, r.sessions, r.corrects_report_id, r.certified_at, r.cosigned_at,
                COALESCE(r.lines, (SELECT jsonb_agg(jsonb_build_object('day', to_char(e.day, 'YYYY-MM-DD'), 'sessionId', e.session_id, 'offeringId', e.offering_id, 'hours', e.hours::float8)
                                                    ORDER BY e.day, e.session_id)
                                     FROM esf_time_entries e
                                    WHERE e.participant_id = r.participant_id AND e.day >= r.month AND e.day < (r.month + interval '1 month'))) AS lines,
                count(*) OVER ()::int AS total
           FROM esf_time_reports r
           JOIN esf_participants ep ON ep.id = r.participant_id
           JOIN programmes pg ON pg.id = ep.programme_id
          WHERE ($1::uuid IS NULL OR ep.user_id = $1) AND ($2::uuid IS NULL OR ep.organisation_id = $2) AND ($3::uuid IS NULL OR r.id = $3)
            AND ($4::date IS NULL OR r.month = $4::date) AND ($5::varchar IS NULL OR r.status = $5) AND ($6::uuid IS NULL OR ep.programme_id = $6)
          ORDER BY r.month DESC, pg.title, r.version DESC, r.id
          LIMIT $7 OFFSET $8`,
        [
          filter.userId ?? null,
          filter.organisationId ?? null,
          filter.reportId ?? null,
          filter.month ? `${filter.month.slice(0, 7)}-01` : null,
          filter.status ?? null,
          filter.programmeId ?? null,
          limit,
          offset,
        ],
      ),
    );
    return { rows: found, total: found[0]?.total ?? 0 };
  }

  /**
   * Co-financing per organisation and month ($2 a month's first day, or null: all): hours of the
   * current reports that count as certified (cosigned, or certified when the programme asks no
   * co-signature) and the hours still open, valued at the programme's unit cost.
   */
  async cofinancing(programmeId: string, month: string | null): Promise<CofinancingRow[]> {
    return rows<CofinancingRow>(
      await this.dataSource.query(
        `WITH counted AS (
           SELECT ep.organisation_id, ep.org_number, r.month, r.hours,
                  (r.status = 'cosigned' OR (r.status = 'certified' AND NOT pg.time_cosign)) AS certified, pg.unit_cost_per_hour_sek AS unit
             FROM esf_time_reports r
             JOIN esf_participants ep ON ep.id = r.participant_id
             JOIN programmes pg ON pg.id = ep.programme_id
            WHERE ep.programme_id = $1 AND r.status <> 'corrected' AND ($2::date IS NULL OR r.month = $2::date))
         SELECT c.organisation_id, c.org_number, o.name AS organisation_name, to_char(c.month, 'YYYY-MM') AS month,
                COALESCE(sum(c.hours) FILTER (WHERE c.certified), 0)::text AS certified_hours,
                COALESCE(sum(c.hours) FILTER (WHERE NOT c.certified), 0)::text AS uncertified_hours,
                (COALESCE(sum(c.hours) FILTER (WHERE c.certified), 0) * min(c.unit))::numeric(16, 2)::text AS value_sek
           FROM counted c LEFT JOIN organisations o ON o.id = c.organisation_id
          GROUP BY c.organisation_id, c.org_number, o.name, c.month
          ORDER BY c.month, c.org_number NULLS LAST, c.organisation_id`,
        [programmeId, month],
      ),
    );
  }

  /** One row per participant of the programme with what the indicators count (special categories only to be counted). */
  async indicatorRows(programmeId: string): Promise<IndicatorRow[]> {
    return rows<IndicatorRow>(
      await this.dataSource.query(
        `SELECT pr.gender, pr.education_level, (extract(year FROM ep.started_on)::int - pr.birth_year) AS age,
                m.code AS municipality_code, m.name AS municipality_name, m.county_code, m.county_name, sd.disability
           FROM esf_participants ep
           LEFT JOIN person_profiles pr ON pr.user_id = ep.user_id
           LEFT JOIN person_sensitive_data sd ON sd.user_id = ep.user_id
           LEFT JOIN organisations o ON o.id = ep.organisation_id
           LEFT JOIN municipalities m ON m.code = o.municipality_code
          WHERE ep.programme_id = $1`,
        [programmeId],
      ),
    );
  }

  /** Every participant of the programme with their start and (effective, $2 today) end, for the monthly files. */
  async fileEvents(programmeId: string, today: string): Promise<Array<{ id: string; user_id: string; org_number: string | null; started_on: string; ended_on: string | null }>> {
    return rows(
      await this.dataSource.query(
        `SELECT ep.id, ep.user_id, ep.org_number, to_char(ep.started_on, 'YYYY-MM-DD') AS started_on, to_char(${effectiveEndSql('$2')}, 'YYYY-MM-DD') AS ended_on
           FROM esf_participants ep JOIN programmes pg ON pg.id = ep.programme_id
          WHERE ep.programme_id = $1`,
        [programmeId, today],
      ),
    );
  }

  /**
   * A person's participations with the last day their evidence is kept: 31 December of the fifth
   * year after the programme's final payment (null while that year is not set).
   */
  async heldParticipations(manager: EntityManager, userId: string): Promise<Array<{ id: string; programme_id: string; title: string; retain_until: string | null }>> {
    return rows(
      await manager.query(
        `SELECT ep.id, ep.programme_id, pg.title,
                CASE WHEN pg.final_payment_year IS NULL THEN NULL ELSE to_char(make_date(pg.final_payment_year + 5, 12, 31), 'YYYY-MM-DD') END AS retain_until
           FROM esf_participants ep JOIN programmes pg ON pg.id = ep.programme_id
          WHERE ep.user_id = $1 ORDER BY ep.started_on, ep.id`,
        [userId],
      ),
    );
  }

  /**
   * Purges the ESF evidence of every programme whose retention date is before $1 (a day): its
   * participants (with their hours, time reports and codes), its monthly file sends, and the
   * identity numbers of its participants who take part in no other programme. Answers the rows deleted.
   */
  async purgeExpiredEvidence(manager: EntityManager, today: string): Promise<number> {
    const due = `SELECT id FROM programmes WHERE final_payment_year IS NOT NULL AND make_date(final_payment_year + 5, 12, 31) < $1::date`;
    const removed = rows<{ user_id: string }>(await manager.query(`DELETE FROM esf_participants WHERE programme_id IN (${due}) RETURNING user_id`, [today]));
    const sends = rows(await manager.query(`DELETE FROM esf_monthly_file_sends WHERE programme_id IN (${due}) RETURNING id`, [today]));
    const identities = rows(
      await manager.query(
        `DELETE FROM participant_identities pi WHERE pi.user_id = ANY($1::uuid[])
            AND NOT EXISTS (SELECT 1 FROM esf_participants ep WHERE ep.user_id = pi.user_id) RETURNING user_id`,
        [[...new Set(removed.map((r) => r.user_id))]],
      ),
    );
    return removed.length + sends.length + identities.length;
  }

  async countRegister(programmeId: string): Promise<number> {
    const [row] = rows<{ n: number }>(await this.dataSource.query('SELECT count(*)::int AS n FROM esf_participants WHERE programme_id = $1', [programmeId]));
    return row.n;
  }
}
