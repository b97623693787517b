import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { toCsv } from '../common/csv.js';
import { AppError } from '../common/errors/app-error.js';
import { rows } from '../database/sql.js';
import type { MonthlyFileDto, MonthlyFileListDto } from './dto/monthly-file.dto.js';
import { MONTH } from './dto/time-report.dto.js';
import { IdentityCipher } from './identity-cipher.js';
import { ParticipantIdentityService } from './participant-identity.service.js';
import { stockholmDay } from './participant-time.js';
import { EsfMonthlyFileSend } from './participant.entity.js';
import { ParticipantErrorCode } from './participants.errors.js';
import { ParticipantsRepository } from './participants.repository.js';
import { RegisterService } from './register.service.js';

interface FileEvent {
  userId: string;
  kind: 'start' | 'end';
  day: string;
  orgNumber: string | null;
}

const HEADERS = ['Personnummer', 'Händelse', 'Datum', 'Organisationsnummer'];
const KIND_SV = { start: 'Start', end: 'Slut' };

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The last day of the month plus four weeks. */
function dueOn(month: string): string {
  const [y, m] = nextMonth(month).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 28)).toISOString().slice(0, 10);
}

/**
 * The monthly participant file for the statistics authority: per month, who started (start date)
 * and who ended (end date), in date order, with identity numbers in clear (the only place they
 * leave the system). Each download is audit-logged. Sending is recorded with a keyed hash of what
 * the files up to that month hold: when an earlier month changes (a start moved, an end set), the
 * hash no longer matches and that month and every later one sent must be sent again.
 */
@Injectable()
export class MonthlyFileService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly register: RegisterService,
    private readonly repository: ParticipantsRepository,
    private readonly identities: ParticipantIdentityService,
    private readonly cipher: IdentityCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async download(caller: AuthUser, programmeId: string, month: string): Promise<string> {
    await this.register.esfProgramme(programmeId);
    if (month > this.register.today().slice(0, 7)) throw AppError.validation('month', 'must not be in the future');
    return this.dataSource.transaction(async (manager) => {
      const events = (await this.events(programmeId)).filter((e) => e.day.startsWith(month));
      const numbers = await this.identities.clearNumbers(manager, events.map((e) => e.userId));
      await this.audit.record(manager, {
        actorUserId: caller.id,
        action: 'esf_monthly_file.downloaded',
        details: { programmeId, month, rows: events.length, missingIdentityNumbers: events.filter((e) => !numbers.has(e.userId)).length },
      });
      return toCsv([HEADERS, ...events.map((e) => [numbers.get(e.userId) ?? '', KIND_SV[e.kind], e.day, e.orgNumber ?? ''])]);
    });
  }

  async list(programmeId: string): Promise<MonthlyFileListDto> {
    const programme = await this.register.esfProgramme(programmeId);
    const current = this.register.today().slice(0, 7);
    const events = await this.events(programmeId);
    const numbers = await this.identities.clearNumbers(this.dataSource.manager, events.map((e) => e.userId));
    const sends = await this.lastSends(programmeId);
    const firstMonth = [programme.startsOn.slice(0, 7), ...events.map((e) => e.day.slice(0, 7))].sort()[0];
    const items: MonthlyFileDto[] = [];
    let changed = false;
    for (let month = firstMonth; month <= current; month = nextMonth(month)) {
      const inMonth = events.filter((e) => e.day.startsWith(month));
      const sent = sends.get(month);
      const state = this.stateHash(programmeId, events, month, numbers);
      changed ||= sent !== undefined && sent.stateHash !== state;
      items.push({
        month,
        starts: inMonth.filter((e) => e.kind === 'start').length,
        ends: inMonth.filter((e) => e.kind === 'end').length,
        missingIdentityNumbers: inMonth.filter((e) => !numbers.has(e.userId)).length,
        status: sent === undefined ? 'not_sent' : changed || sent.stateHash !== state ? 'resend' : 'sent',
        lastSentAt: sent ? sent.sentAt.toISOString() : null,
        dueOn: dueOn(month),
        monthOver: month < current,
      });
    }
    return { programmeId, items, total: items.length };
  }

  /** Records that the month's file was sent as it stands now; the same state twice → 409. */
  async markSent(caller: AuthUser, programmeId: string, month: string): Promise<MonthlyFileDto> {
    if (!MONTH.test(month)) throw AppError.validation('month', 'must be a month as YYYY-MM');
    await this.register.esfProgramme(programmeId);
    if (month >= this.register.today().slice(0, 7)) throw AppError.conflict(ParticipantErrorCode.MONTH_NOT_OVER, 'A month is sent once it is over');
    const events = await this.events(programmeId);
    await this.dataSource.transaction(async (manager) => {
      const state = this.stateHash(programmeId, events, month, await this.identities.clearNumbers(manager, events.map((e) => e.userId)));
      const inserted = rows(
        await manager.query(
          `INSERT INTO esf_monthly_file_sends (programme_id, month, state_hash, rows, sent_at, sent_by_user_id)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT uq_esf_monthly_file_sends_state DO NOTHING RETURNING id`,
          [programmeId, `${month}-01`, state, events.filter((e) => e.day.startsWith(month)).length, this.clock.now(), caller.id],
        ),
      );
      if (inserted.length === 0) throw AppError.conflict(ParticipantErrorCode.MONTHLY_FILE_ALREADY_SENT, 'This month was already sent as it stands now');
      await this.audit.record(manager, { actorUserId: caller.id, action: 'esf_monthly_file.sent', details: { programmeId, month } });
    });
    return (await this.list(programmeId)).items.find((i) => i.month === month)!;
  }

  /** Starts and ends of the programme's participants, in date order (starts before ends on a day). */
  private async events(programmeId: string): Promise<FileEvent[]> {
    const participants = await this.repository.fileEvents(programmeId, stockholmDay(this.clock.now()));
    const events: FileEvent[] = participants.flatMap((p) => [
      { userId: p.user_id, kind: 'start' as const, day: p.started_on, orgNumber: p.org_number },
      ...(p.ended_on ? [{ userId: p.user_id, kind: 'end' as const, day: p.ended_on, orgNumber: p.org_number }] : []),
    ]);
    return events.sort((a, b) => a.day.localeCompare(b.day) || (a.kind === b.kind ? a.userId.localeCompare(b.userId) : a.kind === 'start' ? -1 : 1));
  }

  /** A keyed hash (numbers are in it) of every row of the files up to and including `month`. */
  private stateHash(programmeId: string, events: FileEvent[], month: string, numbers: Map<string, string>): string {
    const upTo = events.filter((e) => e.day.slice(0, 7) <= month).map((e) => [numbers.get(e.userId) ?? '', e.userId, e.kind, e.day, e.orgNumber ?? '']);
    return createHmac('sha256', this.cipher.codeHash(programmeId, 'monthly-file')).update(JSON.stringify(upTo)).digest('hex');
  }

  private async lastSends(programmeId: string): Promise<Map<string, EsfMonthlyFileSend>> {
    const sends = await this.dataSource.getRepository(EsfMonthlyFileSend).find({ where: { programmeId }, order: { sentAt: 'ASC' } });
    return new Map(sends.map((s) => [s.month.slice(0, 7), s]));
  }
}
