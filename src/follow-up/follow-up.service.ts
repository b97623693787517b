import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { addDuration } from './duration.js';
import { PlansService } from './plans.service.js';

/** What bookings tell follow-up when attendance is recorded for one booking. */
export interface AttendanceRecord {
  bookingId: string;
  userId: string;
  sessionId: string;
  offeringId: string;
  sessionEndsAt: Date;
  attended: boolean;
  /** The person's language for the emails; default: their account's. */
  locale?: 'sv' | 'en';
  /** The organisation the person booked for (results per organisation); default: their first membership. */
  organisationId?: string | null;
}

/**
 * The follow-up module's door for other modules. Bookings calls `attendanceRecorded` inside its
 * attendance transaction, so that an invitation exists exactly when attendance does.
 */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly plans: PlansService,
    private readonly clock: Clock,
  ) {}

  /**
   * Attended: one invitation per step of the offering's plan (its own, else the default), due at the
   * session's end plus the step's offset, or at once when that time has passed (attendance recorded
   * late). Recording the same attendance again changes nothing. Not attended: invitations not yet sent
   * are cancelled. Returns how many invitations were created or revived.
   */
  async attendanceRecorded(manager: EntityManager, record: AttendanceRecord): Promise<number> {
    if (!record.attended) {
      await manager.query(`UPDATE evaluation_invitations SET status = 'cancelled' WHERE booking_id = $1 AND status = 'scheduled'`, [record.bookingId]);
      return 0;
    }
    const active = await this.plans.activeFor(manager, record.offeringId);
    if (!active || active.steps.length === 0) return 0;
    const [context] = (await manager.query(
      `SELECT o.provider_id, o.theme_codes, u.locale,
              (SELECT m.organisation_id FROM organisation_members m WHERE m.user_id = u.id ORDER BY m.created_at LIMIT 1) AS organisation_id
         FROM offerings o, users u
        WHERE o.id = $1 AND u.id = $2 AND u.erased_at IS NULL`,
      [record.offeringId, record.userId],
    )) as { provider_id: string; theme_codes: string[]; locale: 'sv' | 'en'; organisation_id: string | null }[];
    if (!context) return 0;
    const now = this.clock.now();
    const { plan, steps } = active;
    const planned = steps.map((step) => addDuration(record.sessionEndsAt, step.sendOffset));
    const rows = (await manager.query(
      `INSERT INTO evaluation_invitations
         (user_id, booking_id, session_id, offering_id, provider_id, organisation_id, theme_codes, plan_id, step_position,
          questionnaire_id, locale, due_at, expires_at, reminder_after, max_reminders)
       SELECT $1, $2, $3, $4, $5, $6, $7::varchar[], $8, s.position, s.questionnaire_id, $9, s.due_at, s.expires_at, $10, $11
         FROM unnest($12::int[], $13::uuid[], $14::timestamptz[], $15::timestamptz[]) AS s(position, questionnaire_id, due_at, expires_at)
       ON CONFLICT (booking_id, step_position) DO UPDATE
          SET status = 'scheduled', due_at = EXCLUDED.due_at, expires_at = EXCLUDED.expires_at
        WHERE evaluation_invitations.status = 'cancelled'
       RETURNING id`,
      [
        record.userId,
        record.bookingId,
        record.sessionId,
        record.offeringId,
        context.provider_id,
        record.organisationId === undefined ? context.organisation_id : record.organisationId,
        context.theme_codes,
        plan.id,
        record.locale ?? context.locale,
        plan.reminderAfter,
        plan.maxReminders,
        steps.map((s) => s.position),
        steps.map((s) => s.questionnaireId),
        planned.map((at) => (at > now ? at : now)),
        planned.map((at) => (plan.expiresAfter ? addDuration(at, plan.expiresAfter) : null)),
      ],
    )) as { id: string }[];
    return rows.length;
  }

  /**
   * The shape bookings' AttendanceEvents emit (one session, many bookings): looks up the session and
   * calls `attendanceRecorded` for each record.
   */
  async sessionAttendanceRecorded(
    manager: EntityManager,
    event: { sessionId: string; records: Array<{ bookingId: string; userId: string; attended: boolean; organisationId?: string | null }> },
  ): Promise<number> {
    const [session] = (await manager.query('SELECT offering_id, ends_at FROM sessions WHERE id = $1', [event.sessionId])) as {
      offering_id: string;
      ends_at: Date;
    }[];
    if (!session) return 0;
    let created = 0;
    for (const r of event.records) {
      created += await this.attendanceRecorded(manager, {
        ...r,
        sessionId: event.sessionId,
        offeringId: session.offering_id,
        sessionEndsAt: session.ends_at,
      });
    }
    return created;
  }
}
