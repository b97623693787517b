import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, Not } from 'typeorm';
import { AttendanceEvents, type AttendanceRecorded } from '../bookings/attendance-events.js';
import { Clock } from '../common/clock.js';
import { rows } from '../database/sql.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import { hoursOf, monthOf, sessionHours, stockholmDay } from './participant-time.js';
import { EsfTimeReport } from './participant.entity.js';
import { ParticipantsRepository } from './participants.repository.js';

type Line = { day: string; sessionId: string; offeringId: string; hours: number };

/** Whether two reports say the same (jsonb keeps keys in an order of its own, so compare the values). */
function sameLines(a: Line[], b: Line[]): boolean {
  const key = (lines: Line[]) => JSON.stringify(lines.map((l) => [l.day, l.sessionId, l.offeringId, Number(l.hours)]));
  return key(a) === key(b);
}

/**
 * The register and participant time follow attendance, inside the attendance transaction: a person
 * recorded as attended on a session of an ESF programme becomes its participant (started_on = the
 * first such day) and gets the session's hours (or the whole hours recorded) on that day; the
 * month's time report follows. A change to a month already certified marks that report corrected
 * and opens the next version (a certified report never changes). Each participant's row is locked
 * first, so concurrent recordings for one person queue instead of racing.
 */
@Injectable()
export class ParticipationService implements OnModuleInit {
  constructor(
    private readonly attendance: AttendanceEvents,
    private readonly programmes: ProgrammesService,
    private readonly repository: ParticipantsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.attendance.onRecorded((manager, event) => this.attendanceRecorded(manager, event));
  }

  async attendanceRecorded(manager: EntityManager, event: AttendanceRecorded): Promise<void> {
    const delivery = await this.programmes.esfDeliveryOfSession(manager, event.sessionId);
    if (!delivery) return;
    const day = stockholmDay(event.startsAt);
    const whole = sessionHours(event.startsAt, event.endsAt);
    const now = this.clock.now();
    const records = [...event.records].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    for (const record of records) {
      let participantId: string | null;
      if (record.attended) {
        const [row] = rows<{ id: string }>(
          await manager.query(
            `INSERT INTO esf_participants (programme_id, user_id, organisation_id, org_number, started_on)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT ON CONSTRAINT uq_esf_participants_programme_user DO UPDATE
               SET started_on = LEAST(esf_participants.started_on, EXCLUDED.started_on),
                   ended_on = CASE WHEN esf_participants.ended_on < $5::date THEN NULL ELSE esf_participants.ended_on END,
                   end_reason = CASE WHEN esf_participants.ended_on < $5::date THEN NULL ELSE esf_participants.end_reason END,
                   updated_at = now()
             RETURNING id`,
            [delivery.programmeId, record.userId, record.organisationId, await this.repository.orgNumber(manager, record.organisationId), day],
          ),
        );
        participantId = row.id;
        await manager.query(
          `INSERT INTO esf_time_entries (booking_id, participant_id, session_id, offering_id, day, hours, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT ON CONSTRAINT pk_esf_time_entries DO UPDATE SET hours = EXCLUDED.hours, day = EXCLUDED.day, recorded_at = EXCLUDED.recorded_at`,
          [record.bookingId, participantId, event.sessionId, delivery.offeringId, day, record.hours ?? whole, now],
        );
      } else {
        const [row] = rows<{ id: string }>(
          await manager.query(`SELECT id FROM esf_participants WHERE programme_id = $1 AND user_id = $2 FOR UPDATE`, [delivery.programmeId, record.userId]),
        );
        if (!row) continue;
        participantId = row.id;
        const removed = rows(await manager.query('DELETE FROM esf_time_entries WHERE booking_id = $1 RETURNING booking_id', [record.bookingId]));
        if (removed.length === 0) continue;
      }
      await this.refreshMonth(manager, participantId, monthOf(day), now);
      if (!record.attended) await this.refreshStart(manager, participantId);
    }
  }

  /** Brings the month's current time report in line with the hours recorded (see the class comment). */
  async refreshMonth(manager: EntityManager, participantId: string, month: string, now: Date): Promise<void> {
    const lines = await this.repository.entryLines(manager, participantId, month);
    const hours = hoursOf(lines.reduce((sum, l) => sum + l.hours, 0));
    const reports = manager.getRepository(EsfTimeReport);
    const current = await reports.findOne({ where: { participantId, month, status: Not('corrected' as const) }, lock: { mode: 'pessimistic_write' } });
    if (!current) {
      if (lines.length > 0) await reports.insert({ participantId, month, version: 1, status: 'open', hours: String(hours), sessions: lines.length });
      return;
    }
    if (current.status === 'open') {
      if (lines.length === 0 && current.version === 1) {
        await reports.delete({ id: current.id });
      } else if (hoursOf(current.hours) !== hours || current.sessions !== lines.length) {
        await reports.update({ id: current.id }, { hours: String(hours), sessions: lines.length });
        // A code asked for the hours as they were no longer certifies what the report now says.
        await manager.query('DELETE FROM esf_certification_codes WHERE report_id = $1', [current.id]);
      }
      return;
    }
    if (sameLines(current.lines ?? [], lines)) return;
    await reports.update({ id: current.id }, { status: 'corrected', correctedAt: now });
    await reports.insert({
      participantId,
      month,
      version: current.version + 1,
      status: 'open',
      hours: String(hours),
      sessions: lines.length,
      correctsReportId: current.id,
    });
  }

  /**
   * After attendance was withdrawn: the start is the first day still attended; a participant with no
   * attended day and nothing certified was never one, and is removed.
   */
  private async refreshStart(manager: EntityManager, participantId: string): Promise<void> {
    const [row] = rows<{ first: string | null; kept: boolean }>(
      await manager.query(
        `SELECT to_char(min(e.day), 'YYYY-MM-DD') AS first,
                EXISTS (SELECT 1 FROM esf_time_reports r WHERE r.participant_id = $1 AND r.status <> 'open') AS kept
           FROM esf_time_entries e WHERE e.participant_id = $1`,
        [participantId],
      ),
    );
    if (row.first) {
      await manager.query(`UPDATE esf_participants SET started_on = $2, updated_at = now(),
                ended_on = CASE WHEN ended_on < $2::date THEN NULL ELSE ended_on END,
                end_reason = CASE WHEN ended_on < $2::date THEN NULL ELSE end_reason END
          WHERE id = $1 AND started_on <> $2::date`, [participantId, row.first]);
    } else if (!row.kept) {
      await manager.query('DELETE FROM esf_participants WHERE id = $1', [participantId]);
    }
  }
}
