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
 * - organisations: organisations (the organisation number at the start), person_profiles (gender,
 *   birth year, education for the register and indicators), organisation_members (org admins' people)
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

  async countRegister(programmeId: string): Promise<number> {
    const [row] = rows<{ n: number }>(await this.dataSource.query('SELECT count(*)::int AS n FROM esf_participants WHERE programme_id = $1', [programmeId]));
    return row.n;
  }
}
