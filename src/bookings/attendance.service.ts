import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { AttendanceEvents } from './attendance-events.js';
import { findSession } from './booking-sessions.repository.js';
import { BookingErrorCode } from './bookings.errors.js';
import type { AttendanceRecordedDto, RecordAttendanceDto } from './dto/booking.dto.js';

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
    private readonly clock: Clock,
  ) {}

  async record(caller: AuthUser, sessionId: string, dto: RecordAttendanceDto): Promise<AttendanceRecordedDto> {
    await this.providers.requireForSession(caller, sessionId);
    const ids = dto.records.map((r) => r.bookingId);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (duplicates.length) {
      throw new AppError(400, 'VALIDATION_FAILED', 'records: a booking appears twice', [{ field: 'records', messages: [`bookings listed twice: ${[...new Set(duplicates)].join(', ')}`] }]);
    }
    const session = (await findSession(this.dataSource.manager, sessionId))!;
    const now = this.clock.now();
    if (session.startsAt > now) throw AppError.conflict(BookingErrorCode.SESSION_NOT_STARTED, 'Attendance can be recorded once the session has started');
    return this.dataSource.transaction(async (manager) => {
      const found = (await manager.query(
        `SELECT id, user_id FROM bookings WHERE session_id = $1 AND status = 'confirmed' AND id = ANY($2::uuid[]) FOR UPDATE`,
        [sessionId, ids],
      )) as { id: string; user_id: string }[];
      const known = new Map(found.map((row) => [row.id, row.user_id]));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length) {
        throw new AppError(400, 'VALIDATION_FAILED', 'records: not confirmed bookings of this session', [
          { field: 'records', messages: [`not confirmed bookings of this session: ${unknown.join(', ')}`] },
        ]);
      }
      await manager.query(
        `UPDATE bookings b SET attended = r.attended, attendance_recorded_at = $3, attendance_recorded_by = $4, updated_at = $3
           FROM unnest($1::uuid[], $2::boolean[]) AS r(id, attended) WHERE b.id = r.id`,
        [ids, dto.records.map((r) => r.attended), now, caller.id],
      );
      await this.events.emit(manager, {
        sessionId,
        recordedByUserId: caller.id,
        records: dto.records.map((r) => ({ bookingId: r.bookingId, userId: known.get(r.bookingId)!, attended: r.attended })),
      });
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
}
