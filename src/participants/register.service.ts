import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { toCsv } from '../common/csv.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { sectionsXlsx } from '../needs/needs-report.export.js';
import type { Programme } from '../programmes/programme.entity.js';
import { ProgrammesService } from '../programmes/programmes.service.js';
import type { EndEsfParticipationDto, EsfParticipationDto, EsfParticipantDto } from './dto/register.dto.js';
import { hoursOf, stockholmDay } from './participant-time.js';
import { EsfParticipant } from './participant.entity.js';
import { ParticipantErrorCode } from './participants.errors.js';
import { ParticipantsRepository, type RegisterRow } from './participants.repository.js';

const REGISTER_HEADERS = ['Namn', 'E-post', 'Organisationsnummer', 'Startdatum', 'Slutdatum', 'Orsak', 'Kön', 'Närvarotimmar', 'Intygade timmar', 'Personnummer angivet'];
const END_REASON_SV: Record<string, string> = { left_on_request: 'Avslutat på egen begäran', ended_by_coordinator: 'Avslutat av samordnare', programme_ended: 'Programmet slut' };
const GENDER_SV: Record<string, string> = { woman: 'Kvinna', man: 'Man', non_binary_other: 'Ickebinär/annat', prefer_not_to_say: 'Vill inte uppge' };

function endReason(row: { ended_on: string | null; end_reason: string | null }): string | null {
  return row.ended_on === null ? null : (row.end_reason ?? 'programme_ended');
}

function toDto(programmeId: string, row: RegisterRow): EsfParticipantDto {
  return {
    id: row.id,
    programmeId,
    userId: row.user_id,
    name: row.erased ? null : row.name,
    email: row.erased ? null : row.email,
    erased: row.erased,
    organisationId: row.organisation_id,
    orgNumber: row.org_number,
    startedOn: row.started_on,
    endedOn: row.ended_on,
    endReason: endReason(row),
    gender: row.gender,
    hoursAttended: hoursOf(row.hours_attended),
    certifiedHours: hoursOf(row.certified_hours),
    identityNumberGiven: row.has_identity,
  };
}

function realDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/**
 * The register of an ESF programme's participants (coordinators), people's own participations,
 * and ending a participation: by the person when no booking of the programme is still ahead, or by
 * a coordinator. A programme's end ends every participation still open, as of that day.
 */
@Injectable()
export class RegisterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programmes: ProgrammesService,
    private readonly repository: ParticipantsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  today(): string {
    return stockholmDay(this.clock.now());
  }

  /** The programme (404), which must report to the ESF (409). */
  async esfProgramme(programmeId: string): Promise<Programme> {
    const programme = await this.programmes.find(programmeId);
    if (!programme.esfReporting) throw AppError.conflict(ParticipantErrorCode.NOT_ESF_PROGRAMME, 'This programme has no ESF reporting (esfReporting is false)');
    return programme;
  }

  async page(programmeId: string, page: { limit: number; offset: number }): Promise<Page<EsfParticipantDto> & { evidenceKeptUntil: string | null }> {
    const programme = await this.esfProgramme(programmeId);
    const found = await this.repository.register(programmeId, this.today(), page.limit, page.offset);
    const total = found[0]?.total ?? (page.offset > 0 ? await this.repository.countRegister(programmeId) : 0);
    return {
      items: found.map((row) => toDto(programmeId, row)),
      total,
      evidenceKeptUntil: programme.finalPaymentYear === null ? null : `${programme.finalPaymentYear + 5}-12-31`,
    };
  }

  async all(programmeId: string): Promise<EsfParticipantDto[]> {
    await this.esfProgramme(programmeId);
    return (await this.repository.register(programmeId, this.today(), null, 0)).map((row) => toDto(programmeId, row));
  }

  async export(programmeId: string, format: 'csv' | 'xlsx'): Promise<Buffer> {
    const items = await this.all(programmeId);
    const table = items.map((p) => [
      p.erased ? '(raderad)' : (p.name ?? ''),
      p.email ?? '',
      p.orgNumber ?? '',
      p.startedOn,
      p.endedOn ?? '',
      p.endReason ? END_REASON_SV[p.endReason] : '',
      p.gender ? GENDER_SV[p.gender] : 'Ej angivet',
      p.hoursAttended,
      p.certifiedHours,
      p.identityNumberGiven ? 'Ja' : 'Nej',
    ]);
    if (format === 'csv') return Buffer.from(toCsv([REGISTER_HEADERS, ...table]), 'utf8');
    return sectionsXlsx([{ sheet: 'Deltagare', title: 'Deltagarregister (ESF)', headers: REGISTER_HEADERS, rows: table }]);
  }

  /** A coordinator ends a participation (default today). */
  async end(caller: AuthUser, programmeId: string, participantId: string, dto: EndEsfParticipationDto): Promise<EsfParticipantDto> {
    await this.esfProgramme(programmeId);
    const endedOn = dto.endedOn ?? this.today();
    if (!realDay(endedOn)) throw AppError.validation('endedOn', 'must be a date as YYYY-MM-DD');
    if (endedOn > this.today()) throw AppError.validation('endedOn', 'must not be in the future');
    await this.dataSource.transaction(async (manager) => {
      const participant = await manager.getRepository(EsfParticipant).findOne({ where: { id: participantId, programmeId }, lock: { mode: 'pessimistic_write' } });
      if (!participant) throw AppError.notFound('Participant', ParticipantErrorCode.PARTICIPANT_NOT_FOUND);
      if (participant.endedOn) throw AppError.conflict(ParticipantErrorCode.ALREADY_ENDED, 'This participation has already ended');
      if (endedOn < participant.startedOn) throw AppError.validation('endedOn', `must not be before the start (${participant.startedOn})`);
      await manager.getRepository(EsfParticipant).update({ id: participantId }, { endedOn, endReason: 'ended_by_coordinator', endedByUserId: caller.id });
      await this.audit.record(manager, {
        actorUserId: caller.id,
        action: 'esf_participant.ended',
        subjectUserId: participant.userId,
        details: { programmeId, participantId, endedOn },
      });
    });
    const [row] = (await this.repository.register(programmeId, this.today(), null, 0)).filter((r) => r.id === participantId);
    return toDto(programmeId, row);
  }

  /** The person leaves a programme: only with no booking of it still ahead. */
  async leave(caller: AuthUser, programmeId: string): Promise<EsfParticipationDto> {
    await this.esfProgramme(programmeId);
    const today = this.today();
    await this.dataSource.transaction(async (manager) => {
      const participant = await manager.getRepository(EsfParticipant).findOne({ where: { programmeId, userId: caller.id }, lock: { mode: 'pessimistic_write' } });
      if (!participant) throw AppError.notFound('Your participation in this programme', ParticipantErrorCode.PARTICIPANT_NOT_FOUND);
      if (participant.endedOn) throw AppError.conflict(ParticipantErrorCode.ALREADY_ENDED, 'You have already left this programme');
      if (await this.repository.hasUpcomingBooking(manager, programmeId, caller.id, this.clock.now())) {
        throw AppError.conflict(ParticipantErrorCode.UPCOMING_BOOKING, 'You have a booking in this programme still ahead: cancel it first');
      }
      await manager.getRepository(EsfParticipant).update({ id: participant.id }, { endedOn: today < participant.startedOn ? participant.startedOn : today, endReason: 'left_on_request', endedByUserId: caller.id });
      await this.audit.record(manager, { actorUserId: caller.id, action: 'esf_participant.left', subjectUserId: caller.id, details: { programmeId, participantId: participant.id } });
    });
    return (await this.mine(caller)).items.find((p) => p.programmeId === programmeId)!;
  }

  async mine(caller: AuthUser): Promise<Page<EsfParticipationDto>> {
    const found = await this.repository.participationsOf(caller.id, this.today());
    const items = found.map((row) => ({
      id: row.id,
      programmeId: row.programme_id,
      programmeTitle: row.title,
      startedOn: row.started_on,
      endedOn: row.ended_on,
      endReason: endReason(row),
      hoursAttended: hoursOf(row.hours),
    }));
    return { items, total: items.length };
  }
}
