import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { CatalogueSupplyService } from '../catalogue/catalogue-supply.service.js';
import { Clock } from '../common/clock.js';
import { ReferenceService } from '../reference/reference.service.js';
import type {
  ChoiceSummaryDto,
  DemandViewDto,
  KeyedCountDto,
  NeedsReportDto,
  ReportRoundDto,
  RoundComparisonDto,
  SplitRowDto,
} from './dto/report.dto.js';
import { CHANNELS, FOLLOW_UP_METHODS, LABELS_SV, PLAN_STATUSES, SUPPORT_NEEDS } from './needs.codes.js';
import { NeedsAccess } from './needs-access.service.js';
import type { NeedsAssessment } from './needs-assessment.entity.js';
import { type DemandCell, NeedsReportRepository, type ResponseCounts, type SplitDimension } from './needs-report.repository.js';
import type { NeedsRound } from './needs-round.entity.js';
import { suppress, suppressRow } from './suppression.js';

interface Labels {
  theme: Map<string, { sv: string; en: string }>;
  format: Map<string, string>;
  municipality: Map<string, string>;
  county: Map<string, string>;
  accessibility: Map<string, string>;
}

const MONTH_MS = 30 * 24 * 3600_000;

function roundSummary(round: NeedsRound): ReportRoundDto {
  return { id: round.id, title: round.title, status: round.status, opensAt: round.opensAt.toISOString(), closesAt: round.closesAt.toISOString() };
}

function withRate(response: ResponseCounts): NeedsReportDto['responseRate'] {
  return { ...response, rate: response.invited === 0 ? 0 : Math.round((response.answered / response.invited) * 1000) / 1000 };
}

function byCountDesc<T extends { key: string; count: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/**
 * The answers to the programme's questions for one round. Coordinators see exact demand; splits
 * by a person attribute (gender, accessibility needs) and everything shown outside the
 * coordinator role suppress cells under 5.
 */
@Injectable()
export class NeedsReportService {
  constructor(
    private readonly access: NeedsAccess,
    private readonly repository: NeedsReportRepository,
    private readonly supply: CatalogueSupplyService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  /** Coordinators only (the route's @Roles); 404 for an unknown round. */
  async report(roundId: string, supplyMonths = 6): Promise<NeedsReportDto> {
    const round = await this.access.round(roundId);
    const now = this.clock.now();
    const supplyTo = new Date(now.getTime() + supplyMonths * MONTH_MS);
    const [labels, response, totals, splits, organising, periods, accessibility, assessments, supply] = await Promise.all([
      this.labels(),
      this.repository.responseCounts(roundId),
      this.repository.themeTotals(roundId),
      this.repository.splits(roundId),
      this.repository.organisationSplits(roundId),
      this.repository.peoplePerArrayValue(roundId, 'preferred_periods'),
      this.repository.peoplePerArrayValue(roundId, 'accessibility_needs'),
      this.repository.assessments(roundId),
      this.supply.byThemeAndCounty(now, supplyTo),
    ]);
    const grand = totals.find((t) => t.themeCode === null);
    const themes = totals
      .filter((t) => t.themeCode !== null)
      .sort((a, b) => b.people - a.people || a.themeCode!.localeCompare(b.themeCode!))
      .map((t, index) => ({
        rank: index + 1,
        themeCode: t.themeCode!,
        nameSv: labels.theme.get(t.themeCode!)?.sv ?? t.themeCode!,
        nameEn: labels.theme.get(t.themeCode!)?.en ?? t.themeCode!,
        people: t.people,
        statements: t.statements,
        organisations: t.organisations,
      }));
    const supplyByTheme = new Map<string, { themeCode: string; offerings: number; sessions: number; seats: number; seatsLeft: number }>();
    for (const row of supply) {
      const entry = supplyByTheme.get(row.themeCode) ?? { themeCode: row.themeCode, offerings: 0, sessions: 0, seats: 0, seatsLeft: 0 };
      // An offering with sessions in several counties is counted once per county: offerings here are per-county sums.
      entry.offerings += row.offerings;
      entry.sessions += row.sessions;
      entry.seats += row.seats;
      entry.seatsLeft += row.seatsLeft;
      supplyByTheme.set(row.themeCode, entry);
    }
    const demandThemes = new Set(themes.map((t) => t.themeCode));
    const supplyThemes = [...supplyByTheme.values()].sort((a, b) => a.themeCode.localeCompare(b.themeCode));
    const themeCodes = [...new Set([...themes.map((t) => t.themeCode), ...supplyThemes.filter((s) => !demandThemes.has(s.themeCode)).map((s) => s.themeCode)])];
    const keyed = (rows: { key: string; people: number }[]): KeyedCountDto[] =>
      byCountDesc(rows.map((r) => ({ key: r.key, label: LABELS_SV[r.key] ?? r.key, count: r.people })));
    return {
      round: roundSummary(round),
      generatedAt: now.toISOString(),
      responseRate: withRate(response),
      totals: { people: grand?.people ?? 0, statements: grand?.statements ?? 0, personalStatements: grand?.personalStatements ?? 0 },
      themes,
      splits: {
        format: this.split(splits, 'format', labels),
        county: this.split(splits, 'county', labels),
        municipality: this.split(splits, 'municipality', labels),
        legalForm: this.split(splits, 'legalForm', labels),
        sector: this.split(splits, 'sector', labels),
      },
      gender: [...themes.map((t) => totals.find((r) => r.themeCode === t.themeCode)!), ...(grand ? [grand] : [])].map((t) => ({
        themeCode: t.themeCode,
        ...suppressRow({ women: t.women, men: t.men, otherGender: t.otherGender, unspecified: t.people - t.women - t.men - t.otherGender }),
      })),
      supply: {
        from: now.toISOString(),
        to: supplyTo.toISOString(),
        themes: supplyThemes,
        demandVsSupply: themeCodes.map((themeCode) => {
          const people = themes.find((t) => t.themeCode === themeCode)?.people ?? 0;
          const seatsLeft = supplyByTheme.get(themeCode)?.seatsLeft ?? 0;
          return { themeCode, people, seatsLeft, gap: people - seatsLeft };
        }),
      },
      organising: {
        periods: keyed(periods),
        timeOfDay: keyed(organising.timeOfDay),
        priority: keyed(organising.priority),
        place: keyed(organising.place),
        accessibilityNeeds: accessibility.map((r) => ({ key: r.key, label: labels.accessibility.get(r.key) ?? r.key, count: suppress(r.people) })),
      },
      assessments: await this.summariseAssessments(assessments),
    };
  }

  /** The round's response rate alone (coordinators; 404 for an unknown round): for lists of rounds. */
  async responseRate(roundId: string): Promise<NeedsReportDto['responseRate']> {
    await this.access.round(roundId);
    return withRate(await this.repository.responseCounts(roundId));
  }

  /** The round (404 NEEDS_ROUND_NOT_FOUND for an unknown id), for other modules. */
  async round(roundId: string): Promise<{ id: string; title: string; status: string }> {
    const round = await this.access.round(roundId);
    return { id: round.id, title: round.title, status: round.status };
  }

  /** Exact demand per theme and county with its statements, gender split and ranked formats (programme drafts; coordinators). */
  async demandCells(roundId: string): Promise<DemandCell[]> {
    await this.access.round(roundId);
    return this.repository.demandCells(roundId);
  }

  /** People per theme and county with every cell under 5 shown as "<5": for provider staff and coordinators. */
  async demand(user: AuthUser, roundId: string): Promise<DemandViewDto> {
    const round = await this.access.requireDemandReader(user, roundId);
    const [labels, cells] = await Promise.all([this.labels(), this.repository.themeCounty(roundId)]);
    return {
      round: roundSummary(round),
      cells: cells.map((c) => ({ themeCode: c.themeCode, countyCode: c.countyCode, countyName: labels.county.get(c.countyCode) ?? c.countyCode, people: suppress(c.people) })),
    };
  }

  async compare(aId: string, bId: string): Promise<RoundComparisonDto> {
    const [a, b] = await Promise.all([this.access.round(aId), this.access.round(bId)]);
    const [labels, totalsA, totalsB] = await Promise.all([this.labels(), this.repository.themeTotals(aId), this.repository.themeTotals(bId)]);
    const ranks = (rows: typeof totalsA) =>
      new Map(
        rows
          .filter((r) => r.themeCode !== null)
          .sort((x, y) => y.people - x.people || x.themeCode!.localeCompare(y.themeCode!))
          .map((r, index) => [r.themeCode!, { people: r.people, rank: index + 1 }]),
      );
    const ra = ranks(totalsA);
    const rb = ranks(totalsB);
    const codes = [...new Set([...ra.keys(), ...rb.keys()])];
    const themes = codes
      .map((themeCode) => {
        const peopleA = ra.get(themeCode)?.people ?? 0;
        const peopleB = rb.get(themeCode)?.people ?? 0;
        return {
          themeCode,
          nameSv: labels.theme.get(themeCode)?.sv ?? themeCode,
          peopleA,
          peopleB,
          change: peopleB - peopleA,
          changeRate: peopleA === 0 ? null : Math.round(((peopleB - peopleA) / peopleA) * 1000) / 1000,
          rankA: ra.get(themeCode)?.rank ?? null,
          rankB: rb.get(themeCode)?.rank ?? null,
        };
      })
      .sort((x, y) => y.change - x.change || x.themeCode.localeCompare(y.themeCode));
    return {
      a: roundSummary(a),
      b: roundSummary(b),
      totalA: totalsA.find((r) => r.themeCode === null)?.people ?? 0,
      totalB: totalsB.find((r) => r.themeCode === null)?.people ?? 0,
      themes,
    };
  }

  private split(rows: Awaited<ReturnType<NeedsReportRepository['splits']>>, dimension: SplitDimension, labels: Labels): SplitRowDto[] {
    const label = (key: string) =>
      dimension === 'format'
        ? (labels.format.get(key) ?? key)
        : dimension === 'county'
          ? (labels.county.get(key) ?? key)
          : dimension === 'municipality'
            ? (labels.municipality.get(key) ?? key)
            : (LABELS_SV[key] ?? key);
    return rows
      .filter((r) => r.dimension === dimension)
      .map((r) => ({ themeCode: r.themeCode, key: r.key, label: label(r.key), people: r.people }))
      .sort((a, b) => (a.themeCode ?? '').localeCompare(b.themeCode ?? '') || b.people - a.people || a.key.localeCompare(b.key));
  }

  private async summariseAssessments(rows: NeedsAssessment[]): Promise<NeedsReportDto['assessments']> {
    const choice = (pick: (r: NeedsAssessment) => string[], comment: (r: NeedsAssessment) => string | null, options: readonly string[], label = (k: string) => LABELS_SV[k] ?? k): ChoiceSummaryDto => {
      const counts = new Map<string, number>(options.map((o) => [o, 0]));
      let answered = 0;
      for (const row of rows) {
        const values = pick(row);
        if (values.length) answered++;
        for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      return {
        answered,
        options: byCountDesc([...counts].map(([key, count]) => ({ key, label: label(key), count }))),
        comments: rows.map(comment).filter((c): c is string => Boolean(c)),
      };
    };
    const gender = rows.filter((r) => r.genderPlan !== null);
    const accessibility = rows.filter((r) => r.accessibilityKnowledge !== null);
    const providerIds = [...new Set(rows.flatMap((r) => r.preferredProviderIds))];
    const providerNames = await this.repository.providerNames(providerIds);
    return {
      organisations: rows.length,
      socialEnterpriseSupport: choice((r) => r.supportNeeds, (r) => r.supportComment, SUPPORT_NEEDS),
      genderEquality: {
        answered: gender.length,
        hasPlan: PLAN_STATUSES.map((key) => ({ key, label: LABELS_SV[key], count: gender.filter((r) => r.genderPlan === key).length })),
        hasTrained: gender.filter((r) => r.genderTrained).length,
        wantsTraining: gender.filter((r) => r.genderWantsTraining).length,
      },
      accessibility: {
        answered: accessibility.length,
        levels: [1, 2, 3, 4, 5].map((level) => ({
          key: String(level),
          label: String(level),
          count: accessibility.filter((r) => r.accessibilityKnowledge === level).length,
        })),
        mean: accessibility.length
          ? Math.round((accessibility.reduce((sum, r) => sum + r.accessibilityKnowledge!, 0) / accessibility.length) * 100) / 100
          : null,
        wantsTraining: accessibility.filter((r) => r.accessibilityWantsTraining).length,
      },
      preferredProviders: choice((r) => r.preferredProviderIds, (r) => r.preferredProvidersOther, [], (id) => providerNames.get(id) ?? id),
      followUp: choice((r) => r.followUpMethods, (r) => r.followUpComment, FOLLOW_UP_METHODS),
      channels: choice((r) => r.channels, (r) => r.channelsOther, CHANNELS),
      cooperation: choice((r) => r.cooperatingProjects, (r) => r.cooperationComment, []),
    };
  }

  private async labels(): Promise<Labels> {
    const [themes, formats, municipalities, features] = await Promise.all([
      this.reference.themes(),
      this.reference.formats(),
      this.reference.municipalities(),
      this.reference.accessibilityFeatures(),
    ]);
    return {
      theme: new Map(themes.map((t) => [t.code, { sv: t.nameSv, en: t.nameEn }])),
      format: new Map(formats.map((f) => [f.code, f.nameSv])),
      municipality: new Map(municipalities.map((m) => [m.code, m.name])),
      county: new Map(municipalities.map((m) => [m.countyCode, m.countyName])),
      accessibility: new Map(features.map((f) => [f.code, f.nameSv])),
    };
  }
}
