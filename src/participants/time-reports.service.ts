import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { UsersService } from '../auth/users.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailService } from '../mail/mail.service.js';
import { monthText, timeReportCodeMail } from '../mail/templates/time-report.template.js';
import { OrganisationAccess } from '../organisations/organisation-access.service.js';
import type { CertificationCodeSentDto, TimeReportDto, TimeReportQueryDto } from './dto/time-report.dto.js';
import { IdentityCipher } from './identity-cipher.js';
import { hoursOf } from './participant-time.js';
import { EsfCertificationCode, EsfTimeReport } from './participant.entity.js';
import { ParticipantErrorCode } from './participants.errors.js';
import { ParticipantsRepository, type TimeReportRow } from './participants.repository.js';

export const CODE_TTL_MINUTES = 15;
export const CODE_MAX_TRIES = 5;
/** A new code for the same report only after this long (with 5 tries a code, guessing stays hopeless). */
export const CODE_RESEND_SECONDS = 60;

function toDto(row: TimeReportRow): TimeReportDto {
  return {
    id: row.id,
    participantId: row.participant_id,
    programmeId: row.programme_id,
    programmeTitle: row.programme_title,
    organisationId: row.organisation_id,
    month: row.month.slice(0, 7),
    version: row.version,
    status: row.status,
    hours: hoursOf(row.hours),
    sessions: row.sessions,
    lines: (row.lines ?? []).map((l) => ({ ...l, hours: hoursOf(l.hours) })),
    cosignRequired: row.time_cosign,
    correctsReportId: row.corrects_report_id,
    certifiedAt: row.certified_at ? row.certified_at.toISOString() : null,
    cosignedAt: row.cosigned_at ? row.cosigned_at.toISOString() : null,
  };
}

/**
 * Monthly time reports: participants see theirs and certify them with a one-time code sent by email
 * (6 digits, 15 minutes, 5 tries; only a keyed hash is stored); org admins see their organisation's
 * and co-sign when the programme asks. Certifying freezes what the report says (its lines).
 */
@Injectable()
export class TimeReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ParticipantsRepository,
    private readonly cipher: IdentityCipher,
    private readonly users: UsersService,
    private readonly mail: MailService,
    private readonly organisations: OrganisationAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async mine(caller: AuthUser, query: TimeReportQueryDto): Promise<Page<TimeReportDto>> {
    const { rows, total } = await this.repository.timeReports({ userId: caller.id, month: query.month, status: query.status }, query.limit, query.offset);
    return { items: rows.map(toDto), total };
  }

  /** One of the caller's reports (404 for anyone else's). */
  async own(caller: AuthUser, reportId: string): Promise<TimeReportDto> {
    const [row] = (await this.repository.timeReports({ reportId, userId: caller.id }, 1, 0)).rows;
    if (!row) throw AppError.notFound('Time report', ParticipantErrorCode.TIME_REPORT_NOT_FOUND);
    return toDto(row);
  }

  async ofOrganisation(caller: AuthUser, organisationId: string, query: TimeReportQueryDto): Promise<Page<TimeReportDto>> {
    await this.organisations.require(caller, organisationId, 'admin');
    const { rows, total } = await this.repository.timeReports({ organisationId, month: query.month, status: query.status }, query.limit, query.offset);
    return { items: rows.map(toDto), total };
  }

  /** The organisation's reports with whose they are (the org admin's page names the people), newest month first. */
  async ofOrganisationWithPeople(caller: AuthUser, organisationId: string, limit = 500): Promise<{ report: TimeReportDto; userId: string }[]> {
    await this.organisations.require(caller, organisationId, 'admin');
    const { rows } = await this.repository.timeReports({ organisationId }, limit, 0);
    return rows.map((row) => ({ report: toDto(row), userId: row.user_id }));
  }

  /** Sends a one-time code for the caller's open report (a new code replaces the last). */
  async sendCode(caller: AuthUser, reportId: string): Promise<CertificationCodeSentDto> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + CODE_TTL_MINUTES * 60_000);
    await this.dataSource.transaction(async (manager) => {
      const report = await this.lockOwn(manager, caller, reportId);
      if (report.status !== 'open') throw AppError.conflict(ParticipantErrorCode.TIME_REPORT_NOT_OPEN, `This report is ${report.status}; only open reports are certified`);
      if (report.sessions === 0) throw AppError.conflict(ParticipantErrorCode.TIME_REPORT_EMPTY, 'This report has no hours to certify');
      const last = await manager.getRepository(EsfCertificationCode).findOneBy({ reportId });
      if (last && now.getTime() - last.sentAt.getTime() < CODE_RESEND_SECONDS * 1000) {
        throw new AppError(429, ParticipantErrorCode.CODE_RECENTLY_SENT, `A code was sent less than ${CODE_RESEND_SECONDS} seconds ago; use it or wait`);
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await manager.getRepository(EsfCertificationCode).upsert({ reportId, codeHash: this.cipher.codeHash(reportId, code), expiresAt, attempts: 0, sentAt: now }, ['reportId']);
      const user = (await this.users.findActiveById(caller.id, manager))!;
      const [view] = (await this.repository.timeReports({ reportId }, 1, 0, manager)).rows;
      await this.mail.enqueue(manager, {
        dedupeKey: `time-report-code:${reportId}:${now.getTime()}`,
        to: user.email,
        template: 'time_report_code',
        locale: user.locale,
        content: timeReportCodeMail(user.locale, {
          name: user.name,
          code,
          monthText: monthText(view.month, user.locale),
          programmeTitle: view.programme_title,
          hours: hoursOf(view.hours),
          validMinutes: CODE_TTL_MINUTES,
          url: `${this.config.publicBaseUrl}/tidrapporter/${reportId}`,
        }),
      });
    });
    return { expiresAt: expiresAt.toISOString() };
  }

  /**
   * Certifies the caller's open report with the code. The participant's row is locked first (as
   * attendance does), then the report and its code, so a certification and a change of attendance
   * never interleave, and of two certifications with one code exactly one succeeds.
   */
  async certify(caller: AuthUser, reportId: string, code: string): Promise<TimeReportDto> {
    const now = this.clock.now();
    const refusal = await this.dataSource.transaction(async (manager): Promise<AppError | null> => {
      const report = await this.lockOwn(manager, caller, reportId);
      if (report.status !== 'open') throw AppError.conflict(ParticipantErrorCode.TIME_REPORT_NOT_OPEN, `This report is ${report.status}; only open reports are certified`);
      const codes = manager.getRepository(EsfCertificationCode);
      const stored = await codes.findOne({ where: { reportId }, lock: { mode: 'pessimistic_write' } });
      if (!stored) return new AppError(400, ParticipantErrorCode.CODE_INVALID, 'No code is waiting for this report: ask for one first');
      if (stored.expiresAt <= now) {
        await codes.delete({ reportId });
        return AppError.conflict(ParticipantErrorCode.CODE_EXPIRED, 'The code has expired: ask for a new one');
      }
      if (stored.codeHash !== this.cipher.codeHash(reportId, code)) {
        const attempts = stored.attempts + 1;
        if (attempts >= CODE_MAX_TRIES) {
          await codes.delete({ reportId });
          return new AppError(429, ParticipantErrorCode.CODE_TRIES_USED, `Wrong code ${CODE_MAX_TRIES} times: ask for a new one`);
        }
        await codes.update({ reportId }, { attempts });
        return new AppError(400, ParticipantErrorCode.CODE_INVALID, 'Wrong code', { triesLeft: CODE_MAX_TRIES - attempts });
      }
      const lines = await this.repository.entryLines(manager, report.participantId, report.month);
      await manager.getRepository(EsfTimeReport).update(
        { id: reportId },
        { status: 'certified', certifiedAt: now, lines, hours: String(hoursOf(lines.reduce((s, l) => s + l.hours, 0))), sessions: lines.length },
      );
      await codes.delete({ reportId });
      await this.audit.record(manager, { actorUserId: caller.id, action: 'esf_time_report.certified', subjectUserId: caller.id, details: { reportId, month: report.month.slice(0, 7), version: report.version } });
      return null;
    });
    // Wrong, expired and used-up codes are refused after the attempt is counted (committed above).
    if (refusal) throw refusal;
    return (await this.view(reportId))!;
  }

  /** An org admin of the participation's organisation co-signs a certified report, when the programme asks for it. */
  async cosign(caller: AuthUser, organisationId: string, reportId: string): Promise<TimeReportDto> {
    await this.organisations.require(caller, organisationId, 'admin');
    await this.dataSource.transaction(async (manager) => {
      const [found] = (await this.repository.timeReports({ reportId, organisationId }, 1, 0, manager)).rows;
      if (!found) throw AppError.notFound('Time report of this organisation', ParticipantErrorCode.TIME_REPORT_NOT_FOUND);
      const report = await manager.getRepository(EsfTimeReport).findOne({ where: { id: reportId }, lock: { mode: 'pessimistic_write' } });
      if (!found.time_cosign) throw AppError.conflict(ParticipantErrorCode.COSIGN_NOT_REQUIRED, 'This programme does not ask org admins to co-sign time reports');
      if (report!.status !== 'certified') throw AppError.conflict(ParticipantErrorCode.TIME_REPORT_NOT_CERTIFIED, `This report is ${report!.status}; only certified reports are co-signed`);
      await manager.getRepository(EsfTimeReport).update({ id: reportId }, { status: 'cosigned', cosignedAt: this.clock.now(), cosignedByUserId: caller.id });
      await this.audit.record(manager, { actorUserId: caller.id, action: 'esf_time_report.cosigned', subjectUserId: found.user_id, organisationId, details: { reportId } });
    });
    return (await this.view(reportId))!;
  }

  private async view(reportId: string): Promise<TimeReportDto | undefined> {
    const [row] = (await this.repository.timeReports({ reportId }, 1, 0)).rows;
    return row ? toDto(row) : undefined;
  }

  /** The caller's report, locked after its participant (404 for anyone else's: whose reports exist is not told). */
  private async lockOwn(manager: EntityManager, caller: AuthUser, reportId: string): Promise<EsfTimeReport> {
    const [owner] = (await this.repository.timeReports({ reportId, userId: caller.id }, 1, 0, manager)).rows;
    if (!owner) throw AppError.notFound('Time report', ParticipantErrorCode.TIME_REPORT_NOT_FOUND);
    await manager.query('SELECT 1 FROM esf_participants WHERE id = $1 FOR UPDATE', [owner.participant_id]);
    return (await manager.getRepository(EsfTimeReport).findOne({ where: { id: reportId }, lock: { mode: 'pessimistic_write' } }))!;
  }
}
