import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MIN_CELL, suppressRow } from '../needs/suppression.js';
import type { InterventionDto } from './dto/intervention.dto.js';
import type { InterventionProgressDto, ProgressDto, ProgressFiguresDto } from './dto/progress.dto.js';
import { InterventionViews } from './intervention-views.js';
import { ProgrammesRepository, type ProgressRow } from './programmes.repository.js';
import { ProgrammesService } from './programmes.service.js';

/** What the figures are computed from: the plan and the exact counts (suppressed only when shown). */
interface Raw {
  plannedParticipants: number;
  plannedWomen: number | null;
  plannedMen: number | null;
  plannedHours: number;
  plannedCost: number;
  costToDate: number;
  row: Omit<ProgressRow, 'intervention_id' | 'overall_mean'> & { overall_sum: number };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const rate = (part: number, whole: number) => (whole > 0 ? round(part / whole, 3) : null);

function gender(total: number, women: number, men: number, other: number) {
  return suppressRow({ women, men, otherGender: other, unspecified: total - women - men - other });
}

/** The numbers of one intervention, or of a sum of interventions. */
function figures(raw: Raw, overallKey: string): ProgressFiguresDto {
  const r = raw.row;
  const hoursDelivered = round(r.hours_delivered);
  const overallMean = r.overall_answers >= MIN_CELL ? round(r.overall_sum / r.overall_answers, 2) : null;
  return {
    planned: { participants: raw.plannedParticipants, women: raw.plannedWomen, men: raw.plannedMen, participantHours: round(raw.plannedHours), costSek: raw.plannedCost },
    booked: { total: r.booked, byGender: gender(r.booked, r.booked_women, r.booked_men, r.booked_other) },
    attended: { total: r.attended, byGender: gender(r.attended, r.attended_women, r.attended_men, r.attended_other) },
    hoursDelivered,
    sessionsHeld: r.sessions_held,
    sessionsPlanned: r.sessions,
    evaluationResponseRate: rate(Math.min(r.responses, r.invited), r.invited),
    evaluation: {
      invited: r.invited,
      responses: r.responses,
      responseRate: rate(Math.min(r.responses, r.invited), r.invited),
      overallQuestion: overallKey,
      overallAnswers: r.overall_answers,
      overallMean,
    },
    costToDateSek: raw.costToDate,
    deviation: {
      participants: r.attended - raw.plannedParticipants,
      participantsRate: rate(r.attended - raw.plannedParticipants, raw.plannedParticipants),
      participantHours: round(hoursDelivered - raw.plannedHours),
      participantHoursRate: rate(hoursDelivered - raw.plannedHours, raw.plannedHours),
      costSek: raw.costToDate - raw.plannedCost,
    },
  };
}

function rawOf(i: InterventionDto, row: ProgressRow): Raw {
  const perHour = i.plannedParticipantHours > 0 ? i.costSek / i.plannedParticipantHours : 0;
  const { intervention_id: _, overall_mean, ...counts } = row;
  return {
    plannedParticipants: i.plannedParticipants,
    plannedWomen: i.plannedWomen,
    plannedMen: i.plannedMen,
    plannedHours: i.plannedParticipantHours,
    plannedCost: i.costSek,
    costToDate: Math.round(row.hours_delivered * perHour),
    row: { ...counts, overall_sum: (overall_mean ?? 0) * row.overall_answers },
  };
}

function sum(raws: Raw[]): Raw {
  const keys = ['booked', 'booked_women', 'booked_men', 'booked_other', 'attended', 'attended_women', 'attended_men', 'attended_other', 'hours_delivered', 'sessions_held', 'sessions', 'invited', 'responses', 'overall_answers', 'overall_sum'] as const;
  const row = Object.fromEntries(keys.map((k) => [k, raws.reduce((s, r) => s + r.row[k], 0)])) as Raw['row'];
  const nullableSum = (pick: (r: Raw) => number | null) => (raws.some((r) => pick(r) !== null) ? raws.reduce((s, r) => s + (pick(r) ?? 0), 0) : null);
  return {
    plannedParticipants: raws.reduce((s, r) => s + r.plannedParticipants, 0),
    plannedWomen: nullableSum((r) => r.plannedWomen),
    plannedMen: nullableSum((r) => r.plannedMen),
    plannedHours: raws.reduce((s, r) => s + r.plannedHours, 0),
    plannedCost: raws.reduce((s, r) => s + r.plannedCost, 0),
    costToDate: raws.reduce((s, r) => s + r.costToDate, 0),
    row,
  };
}

/**
 * A programme's progress against its plan, per intervention and in total, from one statement over
 * bookings, attendance and evaluations (ProgrammesRepository.progress). Counts of people are exact;
 * their split by gender suppresses cells under 5 as the needs report does (suppressRow).
 */
@Injectable()
export class ProgrammeProgressService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly programmes: ProgrammesService,
    private readonly repository: ProgrammesRepository,
    private readonly views: InterventionViews,
    private readonly clock: Clock,
  ) {}

  async progress(user: AuthUser, programmeId: string): Promise<ProgressDto> {
    const { viewer, interventionIds } = await this.programmes.readable(user, programmeId);
    const now = this.clock.now();
    const key = this.config.programmeOverallQuestionKey;
    const [interventions, rows] = await Promise.all([
      this.views.byIds(interventionIds),
      this.repository.progress(programmeId, now, key, viewer.all ? null : interventionIds),
    ]);
    const byId = new Map(rows.map((r) => [r.intervention_id, r]));
    const raws = interventions.map((i) => ({ i, raw: rawOf(i, byId.get(i.id)!) }));
    const items: InterventionProgressDto[] = raws.map(({ i, raw }) => ({
      interventionId: i.id,
      title: i.title,
      status: i.status,
      offeringIds: i.offeringIds,
      ...figures(raw, key),
    }));
    return {
      programmeId,
      generatedAt: now.toISOString(),
      interventions: items,
      total: figures(sum(raws.filter(({ i }) => i.status !== 'cancelled').map(({ raw }) => raw)), key),
    };
  }
}
