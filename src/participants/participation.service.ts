import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AttendanceEvents, type AttendanceRecorded } from '../bookings/attendance-events.js';
import { Clock } from '../common/clock.js';
import { rows } from '../database/sql.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import { hoursOf, monthOf, sessionHours, stockholmDay } from './participant-time.js';
import { ParticipantsRepository, type TimeReportLine } from './participants.repository.js';

/** Whether two reports say the same (jsonb keeps keys in an order of its own, so compare the values). */
function sameLines(a: TimeReportLine[], b: TimeReportLine[]): boolean {
  const key = (lines: TimeReportLine[]) => JSON.stringify(lines.map((l) => [l.day, l.sessionId, l.offeringId, Number(l.hours)]));
  return key(a) === key(b);
}

interface CurrentReport {
  id: string;
  participant_id: string;
  version: number;
  status: string;
  hours: string;
  sessions: number;
  lines: TimeReportLine[] | null;
}

/**
 * The register and participant time follow attendance, inside the attendance transaction: a person
 * recorded as attended on a session of an ESF programme becomes its participant (started_on = the
 * first such day) and gets the session's hours (or the whole hours recorded) on that day; the
 * month's time report follows. A change to a month already certified marks that report corrected
 * and opens the next version (a certified report never changes). The people's participant rows are
 * locked first, in one order, so concurrent recordings for one person queue instead of racing.
 * Set-based: a few statements per session, whatever the number of people.
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
    const attended = event.records.filter((r) => r.attended).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    const absent = event.records.filter((r) => !r.attended);
    // Lock order: every participant row concerned, by user id, before anything is written.
    await manager.query('SELECT 1 FROM esf_participants WHERE programme_id = $1 AND user_id = ANY($2::uuid[]) ORDER BY user_id FOR UPDATE', [
      delivery.programmeId,
      event.records.map((r) => r.userId),
    ]);
    const touched = new Set<string>();
    if (attended.length) {
      const participants = await this.repository.upsertParticipants(manager, delivery.programmeId, attended, day);
      await manager.query(
        `INSERT INTO esf_time_entries (booking_id, participant_id, session_id, offering_id, day, hours, recorded_at)
         SELECT e.booking_id, e.participant_id, $3, $4, $5, e.hours, $6 FROM unnest($1::uuid[], $2::uuid[], $7::numeric[]) AS e(booking_id, participant_id, hours)
         ON CONFLICT ON CONSTRAINT pk_esf_time_entries DO UPDATE SET hours = EXCLUDED.hours, day = EXCLUDED.day, recorded_at = EXCLUDED.recorded_at`,
        [attended.map((r) => r.bookingId), attended.map((r) => participants.get(r.userId)!), event.sessionId, delivery.offeringId, day, now, attended.map((r) => r.hours ?? whole)],
      );
      for (const id of participants.values()) touched.add(id);
    }
    const withdrawn = absent.length
      ? rows<{ participant_id: string }>(await manager.query('DELETE FROM esf_time_entries WHERE booking_id = ANY($1::uuid[]) RETURNING participant_id', [absent.map((r) => r.bookingId)])).map(
          (r) => r.participant_id,
        )
      : [];
    for (const id of withdrawn) touched.add(id);
    if (touched.size) await this.refreshMonth(manager, [...touched], monthOf(day), now);
    if (withdrawn.length) await this.repository.refreshStarts(manager, [...new Set(withdrawn)]);
  }

  /** Brings each participant's current report of the month in line with the hours recorded (see the class comment). */
  private async refreshMonth(manager: EntityManager, participantIds: string[], month: string, now: Date): Promise<void> {
    const linesOf = await this.repository.entryLinesOf(manager, participantIds, month);
    const current = new Map(
      rows<CurrentReport>(
        await manager.query(
          `SELECT id, participant_id, version, status, hours, sessions, lines FROM esf_time_reports
            WHERE participant_id = ANY($1::uuid[]) AND month = $2::date AND status <> 'corrected' ORDER BY participant_id FOR UPDATE`,
          [participantIds, month],
        ),
      ).map((r) => [r.participant_id, r]),
    );
    const inserts: Array<{ participantId: string; version: number; hours: number; sessions: number; corrects: string | null }> = [];
    const updates: Array<{ id: string; hours: number; sessions: number }> = [];
    const deletes: string[] = [];
    const corrected: string[] = [];
    for (const participantId of participantIds) {
      const lines = linesOf.get(participantId) ?? [];
      const hours = hoursOf(lines.reduce((sum, l) => sum + l.hours, 0));
      const report = current.get(participantId);
      if (!report) {
        if (lines.length) inserts.push({ participantId, version: 1, hours, sessions: lines.length, corrects: null });
      } else if (report.status === 'open') {
        if (lines.length === 0 && report.version === 1) deletes.push(report.id);
        else if (hoursOf(report.hours) !== hours || report.sessions !== lines.length) updates.push({ id: report.id, hours, sessions: lines.length });
      } else if (!sameLines(report.lines ?? [], lines)) {
        corrected.push(report.id);
        inserts.push({ participantId, version: report.version + 1, hours, sessions: lines.length, corrects: report.id });
      }
    }
    if (deletes.length) await manager.query('DELETE FROM esf_time_reports WHERE id = ANY($1::uuid[])', [deletes]);
    if (updates.length) {
      await manager.query(
        `UPDATE esf_time_reports r SET hours = u.hours, sessions = u.sessions, updated_at = now()
           FROM unnest($1::uuid[], $2::numeric[], $3::int[]) AS u(id, hours, sessions) WHERE r.id = u.id`,
        [updates.map((u) => u.id), updates.map((u) => u.hours), updates.map((u) => u.sessions)],
      );
      // A code asked for the hours as they were no longer certifies what the report now says.
      await manager.query('DELETE FROM esf_certification_codes WHERE report_id = ANY($1::uuid[])', [updates.map((u) => u.id)]);
    }
    if (corrected.length) {
      await manager.query(`UPDATE esf_time_reports SET status = 'corrected', corrected_at = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [corrected, now]);
    }
    if (inserts.length) {
      await manager.query(
        `INSERT INTO esf_time_reports (participant_id, month, version, status, hours, sessions, corrects_report_id)
         SELECT i.participant_id, $2::date, i.version, 'open', i.hours, i.sessions, i.corrects
           FROM unnest($1::uuid[], $3::int[], $4::numeric[], $5::int[], $6::uuid[]) AS i(participant_id, version, hours, sessions, corrects)`,
        [inserts.map((i) => i.participantId), month, inserts.map((i) => i.version), inserts.map((i) => i.hours), inserts.map((i) => i.sessions), inserts.map((i) => i.corrects)],
      );
    }
  }
}
