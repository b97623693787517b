import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { CatalogueSupplyService } from '../catalogue/catalogue-supply.service.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { NeedsReportDto } from '../needs/dto/report.dto.js';
import { NeedsReportService } from '../needs/needs-report.service.js';
import { suppress, suppressRow } from '../needs/suppression.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { ExplanationDto } from './dto/intervention.dto.js';
import type { ProgrammePlanDto, ProgrammePlanInterventionDto, ProgrammePlanPartDto } from './dto/plan.dto.js';
import { InterventionViews } from './intervention-views.js';
import { ProgrammeDraft } from './programme.entity.js';
import { ProgrammesRepository } from './programmes.repository.js';
import { ProgrammesService } from './programmes.service.js';

const FUNDING_SV: Record<string, string> = { esf_plus: 'ESF+', region: 'Region', municipality: 'Kommun', other: 'Annan finansiering' };
const TARGET_GROUP_SV: Record<string, string> = { social_economy: 'Social ekonomi', public_sector: 'Offentlig sektor' };
const STATUS_SV: Record<string, string> = { proposed: 'Förslag', approved: 'Beslutad', cancelled: 'Avbruten' };
const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);
const pct = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);

/**
 * The programme document (the pre-study's application parts), generated from the data in Swedish:
 * 1) interventions, 2) organisation and financial plan, 3) gender-equality plan, 4) accessibility
 * plan, 5) marketing. The same parts feed the JSON, the xlsx workbook (a sheet per part), the HTML
 * page and the PDF, so that they always agree. Round-based answers come from the round the
 * programme was last drafted from.
 */
@Injectable()
export class ProgrammePlanService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly programmes: ProgrammesService,
    private readonly repository: ProgrammesRepository,
    private readonly views: InterventionViews,
    private readonly needs: NeedsReportService,
    private readonly catalogue: CatalogueSupplyService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  async plan(user: AuthUser, programmeId: string): Promise<ProgrammePlanDto> {
    const { programme } = await this.programmes.readable(user, programmeId);
    const now = this.clock.now();
    const [all, formats, municipalities, features, draft] = await Promise.all([
      this.repository.visibleInterventionIds(programmeId, { all: true }).then((ids) => this.views.byIds(ids)),
      this.reference.formats(),
      this.reference.municipalities(),
      this.reference.accessibilityFeatures(),
      this.dataSource.getRepository(ProgrammeDraft).findOne({ where: { programmeId }, order: { createdAt: 'DESC' } }),
    ]);
    const interventions = all.filter((i) => i.status !== 'cancelled');
    const formatSv = new Map(formats.map((f) => [f.code, f.nameSv]));
    const countySv = new Map(municipalities.map((m) => [m.countyCode, m.countyName]));
    const featureSv = new Map(features.map((f) => [f.code, f.nameSv]));
    const unitCost = programme.unitCostPerHourSek === null ? null : Number(programme.unitCostPerHourSek);
    const [progress, requests, reach, report, offerings] = await Promise.all([
      this.repository.progress(programmeId, now, this.config.programmeOverallQuestionKey, null),
      this.repository.bookingRequests(programmeId),
      this.repository.reach(programmeId),
      draft ? this.needs.report(draft.roundId) : Promise.resolve(null),
      this.catalogue.offerings(interventions.flatMap((i) => i.offeringIds)),
    ]);
    const progressById = new Map(progress.map((p) => [p.intervention_id, p]));

    const rows: ProgrammePlanInterventionDto[] = interventions.map((i) => {
      const p = progressById.get(i.id)!;
      const attended = suppressRow({ women: p.attended_women, men: p.attended_men, otherGender: p.attended_other, unspecified: p.attended - p.attended_women - p.attended_men - p.attended_other });
      const statements = (i.explanation as ExplanationDto | null)?.statements;
      return {
        id: i.id,
        title: i.title,
        targetGroups: i.targetGroups.map((g) => TARGET_GROUP_SV[g] ?? g),
        themeCode: i.themeCode,
        themeSv: i.themeNameSv,
        format: i.format,
        formatSv: formatSv.get(i.format) ?? i.format,
        counties: i.counties.map((c) => countySv.get(c) ?? c),
        plannedParticipants: i.plannedParticipants,
        plannedWomen: i.plannedWomen,
        plannedMen: i.plannedMen,
        hoursPerParticipant: i.hoursPerParticipant,
        participantHours: i.plannedParticipantHours,
        provider: i.providerName ?? 'Upphandlas',
        startsOn: i.startsOn,
        endsOn: i.endsOn,
        costSek: i.costSek,
        cofinancingSek: unitCost === null ? 0 : Math.round(i.plannedParticipantHours * unitCost),
        status: i.status,
        attendedWomen: attended.women,
        attendedMen: attended.men,
        statementsWomenShare: statements ? share(statements.women, statements.people) : null,
        statementsMenShare: statements ? share(statements.men, statements.people) : null,
      };
    });
    const budgetSek = Number(programme.budgetSek);
    const costSek = rows.reduce((s, r) => s + r.costSek, 0);
    const participantHours = Math.round(rows.reduce((s, r) => s + r.participantHours, 0) * 10) / 10;
    const totals = {
      budgetSek,
      costSek,
      remainingSek: budgetSek - costSek,
      participants: rows.reduce((s, r) => s + r.plannedParticipants, 0),
      participantHours,
      unitCostPerHourSek: unitCost,
      cofinancingSek: unitCost === null ? 0 : Math.round(participantHours * unitCost),
    };
    const shown = new Set(rows.map((r) => r.id));
    const parts = this.parts({ rows, totals, report, requests, reach, offerings, featureSv, countySv, unitCost, attendedTotal: progress.filter((p) => shown.has(p.intervention_id)) });
    return {
      programmeId,
      title: programme.title,
      period: `${programme.startsOn} – ${programme.endsOn}`,
      fundingSourceSv: FUNDING_SV[programme.fundingSource] ?? programme.fundingSource,
      roundId: draft?.roundId ?? null,
      roundTitle: report?.round.title ?? null,
      generatedAt: now.toISOString(),
      interventions: rows,
      totals,
      parts,
    };
  }

  private parts(input: {
    rows: ProgrammePlanInterventionDto[];
    totals: ProgrammePlanDto['totals'];
    report: NeedsReportDto | null;
    requests: { code: string; requests: number; provided: number }[];
    reach: { people: number; organisations: number; counties: string[] };
    offerings: { id: string; accessibilityFeatures: string[] }[];
    featureSv: Map<string, string>;
    countySv: Map<string, string>;
    unitCost: number | null;
    attendedTotal: { attended: number; booked: number }[];
  }): ProgrammePlanPartDto[] {
    const { rows, totals, report, featureSv } = input;
    const noRound = 'Programmet är inte utkastat från någon behovsinventering, så organisationernas svar saknas här.';
    const byFormat = new Map<string, { formatSv: string; interventions: number; costSek: number; participantHours: number }>();
    for (const r of rows) {
      const entry = byFormat.get(r.format) ?? { formatSv: r.formatSv, interventions: 0, costSek: 0, participantHours: 0 };
      entry.interventions += 1;
      entry.costSek += r.costSek;
      entry.participantHours += r.participantHours;
      byFormat.set(r.format, entry);
    }
    const featureCounts = new Map<string, number>();
    for (const o of input.offerings) for (const f of o.accessibilityFeatures) featureCounts.set(f, (featureCounts.get(f) ?? 0) + 1);
    const gender = report?.assessments.genderEquality;
    const knowledge = report?.assessments.accessibility;
    const channels = report?.assessments.channels;
    const booked = input.attendedTotal.reduce((s, p) => s + p.booked, 0);
    const attended = input.attendedTotal.reduce((s, p) => s + p.attended, 0);
    return [
      {
        key: 'interventions',
        title: '1. Insatser',
        text: [`Programmet har ${rows.length} insatser för ${totals.participants} deltagare och ${totals.participantHours} deltagartimmar.`],
        tables: [
          {
            caption: 'Insatser per målgrupp, tema och form',
            headers: ['Insats', 'Målgrupp', 'Tema', 'Form', 'Län', 'Deltagare', 'Kvinnor', 'Män', 'Timmar per deltagare', 'Deltagartimmar', 'Anordnare', 'Period', 'Budget (kr)', 'Status'],
            rows: rows.map((r) => [
              r.title,
              r.targetGroups.join(', '),
              r.themeSv,
              r.formatSv,
              r.counties.join(', '),
              r.plannedParticipants,
              r.plannedWomen ?? '–',
              r.plannedMen ?? '–',
              r.hoursPerParticipant,
              r.participantHours,
              r.provider,
              `${r.startsOn} – ${r.endsOn}`,
              r.costSek,
              STATUS_SV[r.status] ?? r.status,
            ]),
          },
        ],
      },
      {
        key: 'finance',
        title: '2. Organisation och ekonomi',
        text: [
          `Budget ${totals.budgetSek} kr, planerad kostnad för insatserna ${totals.costSek} kr, kvar ${totals.remainingSek} kr.`,
          input.unitCost === null
            ? 'Programmet har ingen enhetskostnad per deltagartimme, så deltagarnas tid värderas inte som medfinansiering.'
            : `Deltagarnas tid som medfinansiering: ${totals.participantHours} deltagartimmar × ${input.unitCost} kr = ${totals.cofinancingSek} kr.`,
        ],
        tables: [
          {
            caption: 'Budget per insats',
            headers: ['Insats', 'Form', 'Deltagartimmar', 'Budget (kr)', 'Medfinansiering (kr)'],
            rows: rows.map((r) => [r.title, r.formatSv, r.participantHours, r.costSek, r.cofinancingSek]),
          },
          {
            caption: 'Budget per form',
            headers: ['Form', 'Insatser', 'Deltagartimmar', 'Budget (kr)'],
            rows: [...byFormat.values()].map((f) => [f.formatSv, f.interventions, Math.round(f.participantHours * 10) / 10, f.costSek]),
          },
          {
            caption: 'Summa',
            headers: ['Budget (kr)', 'Planerad kostnad (kr)', 'Kvar (kr)', 'Deltagartimmar', 'Enhetskostnad (kr/timme)', 'Medfinansiering (kr)'],
            rows: [[totals.budgetSek, totals.costSek, totals.remainingSek, totals.participantHours, totals.unitCostPerHourSek ?? '–', totals.cofinancingSek]],
          },
        ],
      },
      {
        key: 'genderEquality',
        title: '3. Jämställdhet',
        text: [
          'Planerat och faktiskt deltagande per kön jämfört med könsfördelningen i behovsanmälningarna. Grupper under 5 personer visas som "<5".',
          gender
            ? `${gender.answered} organisationer svarade om jämställdhet: ${gender.hasTrained} har utbildat personalen och ${gender.wantsTraining} vill ha utbildning.`
            : noRound,
        ],
        tables: [
          {
            caption: 'Deltagande per kön',
            headers: ['Insats', 'Planerade kvinnor', 'Planerade män', 'Deltog, kvinnor', 'Deltog, män', 'Andel kvinnor i behoven', 'Andel män i behoven'],
            rows: rows.map((r) => [r.title, r.plannedWomen ?? '–', r.plannedMen ?? '–', r.attendedWomen, r.attendedMen, pct(r.statementsWomenShare), pct(r.statementsMenShare)]),
          },
          ...(gender
            ? [{ caption: 'Har organisationen en jämställdhetsplan?', headers: ['Svar', 'Organisationer'], rows: gender.hasPlan.map((o) => [o.label, o.count]) }]
            : []),
        ],
      },
      {
        key: 'accessibility',
        title: '4. Tillgänglighet',
        text: [
          knowledge
            ? `${knowledge.answered} organisationer skattade sin kunskap om tillgänglighet (medel ${knowledge.mean ?? '–'} av 5); ${knowledge.wantsTraining} vill ha utbildning.`
            : noRound,
          'Önskemål i bokningar jämfört med vad de kopplade utbildningarna erbjuder. Grupper under 5 personer visas som "<5".',
        ],
        tables: [
          {
            caption: 'Behov i behovsinventeringen och utbudets anpassningar',
            headers: ['Anpassning', 'Personer med behovet', 'Kopplade utbildningar som erbjuder den'],
            rows: [...new Set([...(report?.organising.accessibilityNeeds.map((n) => n.key) ?? []), ...featureCounts.keys()])]
              .sort()
              .map((code) => [featureSv.get(code) ?? code, report?.organising.accessibilityNeeds.find((n) => n.key === code)?.count ?? 0, featureCounts.get(code) ?? 0]),
          },
          {
            caption: 'Önskemål i bokningar',
            headers: ['Anpassning', 'Önskemål', 'Varav erbjudna'],
            rows: input.requests.map((r) => [featureSv.get(r.code) ?? r.code, suppress(r.requests), suppress(r.provided)]),
          },
        ],
      },
      {
        key: 'marketing',
        title: '5. Marknadsföring',
        text: [
          channels ? `${channels.answered} organisationer svarade på vilka kanaler som når dem.` : noRound,
          `Hittills: ${booked} bokade och ${attended} deltagit, från ${input.reach.organisations} organisationer i ${input.reach.counties.length} län.`,
        ],
        tables: [
          ...(channels ? [{ caption: 'Kanaler som når organisationerna', headers: ['Kanal', 'Organisationer'], rows: channels.options.map((o) => [o.label, o.count]) }] : []),
          {
            caption: 'Räckvidd hittills',
            headers: ['Bokade', 'Deltagit', 'Organisationer', 'Län'],
            rows: [[booked, attended, input.reach.organisations, input.reach.counties.map((c) => input.countySv.get(c) ?? c).join(', ') || '–']],
          },
        ],
      },
    ];
  }
}
