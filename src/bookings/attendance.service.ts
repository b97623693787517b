import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { AttendanceEvents } from './attendance-events.js';
import { findSession } from './booking-sessions.repository.js';
import { BookingErrorCode } from './bookings.errors.js';
import type { AttendanceMissingDto, AttendanceRecordedDto, RecordAttendanceDto } from './dto/booking.dto.js';
import { BookingWebhooks } from './booking-webhooks.js';

/** One confirmed booking's attendance, as other modules read it. */
export interface AttendanceEntry {
  bookingId: string;
  userId: string;
  /** Null: not recorded yet. */
  attended: boolean | null;
  recordedAt: Date | null;
}

/** Attendance per booking, recorded by the provider once the session has started. */
@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProviderAccess,
    private readonly events: AttendanceEvents,
    private readonly webhooks: BookingWebhooks,
    private readonly clock: Clock,
  ) {}

  async record(caller: AuthUser, sessionId: string, dto: RecordAttendanceDto): Promise<AttendanceRecordedDto> {
    const provider = await this.providers.requireForSession(caller, sessionId);
    const ids = dto.records.map((r) => r.bookingId);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (duplicates.length) {
      throw new AppError(400, 'VALIDATION_FAILED', 'records: a booking appears twice', [{ field: 'records', messages: [`bookings listed twice: ${[...new Set(duplicates)].join(', ')}`] }]);
    }
    const session = (await findSession(this.dataSource.manager, sessionId))!;
    const longest = Math.ceil((session.endsAt.getTime() - session.startsAt.getTime()) / 3600_000);
    const wrongHours = dto.records.filter((r) => r.hours !== undefined && (!r.attended || r.hours > longest));
    if (wrongHours.length) {
      throw new AppError(400, 'VALIDATION_FAILED', 'records: hours only for attended bookings, at most the session\'s length', [
        { field: 'records', messages: [`hours must come with attended: true and be at most ${longest}: ${wrongHours.map((r) => r.bookingId).join(', ')}`] },
      ]);
    }
    const now = this.clock.now();
    if (session.startsAt > now) throw AppError.conflict(BookingErrorCode.SESSION_NOT_STARTED, 'Attendance can be recorded once the session has started');
    return this.dataSource.transaction(async (manager) => {
      const found = (await manager.query(
        `SELECT id, user_id, organisation_id FROM bookings WHERE session_id = $1 AND status = 'confirmed' AND id = ANY($2::uuid[]) FOR UPDATE`,
        [sessionId, ids],
      )) as { id: string; user_id: string; organisation_id: string | null }[];
      const known = new Map(found.map((row) => [row.id, row]));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length) {
        throw new AppError(400, 'VALIDATION_FAILED', 'records: not confirmed bookings of this session', [
          { field: 'records', messages: [`not confirmed bookings of this session: ${unknown.join(', ')}`] },
        ]);
      }
      await manager.query(
        `UPDATE bookings b SET attended = r.attended, attended_hours = r.hours, attendance_recorded_at = $3, attendance_recorded_by = $4, updated_at = $3
           FROM unnest($1::uuid[], $2::boolean[], $5::smallint[]) AS r(id, attended, hours) WHERE b.id = r.id`,
        [ids, dto.records.map((r) => r.attended), now, caller.id, dto.records.map((r) => r.hours ?? null)],
      );
      await this.events.emit(manager, {
        sessionId,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        recordedByUserId: caller.id,
        records: dto.records.map((r) => {
          const booking = known.get(r.bookingId)!;
          return { bookingId: r.bookingId, userId: booking.user_id, organisationId: booking.organisation_id, attended: r.attended, hours: r.hours ?? null };
        }),
      });
      await this.webhooks.tellMany(
        manager,
        dto.records.map((r) => ({
          type: 'attendance.recorded' as const,
          booking: { id: r.bookingId, sessionId, providerId: provider.id, organisationId: known.get(r.bookingId)!.organisation_id, status: 'confirmed' as const },
        })),
      );
      return { recorded: ids.length };
    });
  }

  /** Confirmed bookings of a session with their attendance (for follow-up and statistics). */
  async forSession(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<AttendanceEntry[]> {
    const rows = (await manager.query(
      `SELECT id, user_id, attended, attendance_recorded_at FROM bookings WHERE session_id = $1 AND status = 'confirmed' ORDER BY id`,
      [sessionId],
    )) as { id: string; user_id: string; attended: boolean | null; attendance_recorded_at: Date | null }[];
    return rows.map((row) => ({ bookingId: row.id, userId: row.user_id, attended: row.attended, recordedAt: row.attendance_recorded_at }));
  }

  /**
   * Sessions that ended more than 24 h ago with confirmed bookings whose attendance is still not
   * recorded: nobody is invited to evaluate them until it is, so providers and coordinators are told.
   */
  async missing(caller: AuthUser, query: { providerId?: string; limit: number; offset: number }): Promise<Page<AttendanceMissingDto>> {
    const providerId = query.providerId;
    if (providerId) await this.providers.require(caller, providerId);
    else if (caller.globalRole !== 'coordinator') {
      throw AppError.validation('providerId', 'is required unless you are a coordinator');
    }
    const cutoff = new Date(this.clock.now().getTime() - 24 * 3600_000);
    const missing = `SELECT s.id AS session_id, o.id AS offering_id, o.title, o.provider_id, s.ends_at, count(*)::int AS missing
         FROM bookings b
         JOIN sessions s ON s.id = b.session_id
         JOIN offerings o ON o.id = s.offering_id
        WHERE b.status = 'confirmed' AND b.attended IS NULL AND s.status = 'scheduled' AND s.ends_at < $1
          AND ($2::uuid IS NULL OR o.provider_id = $2)
        GROUP BY s.id, o.id`;
    const params = [cutoff, providerId ?? null];
    const [count] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (${missing}) m`, params)) as { n: number }[];
    const rows = (await this.dataSource.query(`${missing} ORDER BY s.ends_at, s.id LIMIT $3 OFFSET $4`, [...params, query.limit, query.offset])) as {
      session_id: string;
      offering_id: string;
      title: string;
      provider_id: string;
      ends_at: Date;
      missing: number;
    }[];
    const items = rows.map((row) => ({
      sessionId: row.session_id,
      offeringId: row.offering_id,
      offeringTitle: row.title,
      providerId: row.provider_id,
      endedAt: row.ends_at.toISOString(),
      missing: row.missing,
    }));
    return { items, total: count.n };
  }
}
