import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { NeedsErrorCode } from '../needs/needs.errors.js';
import { sectionsCsv, sectionsXlsx } from '../needs/needs-report.export.js';
import { suppress } from '../needs/suppression.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { CoverageQueryDto, CoverageReportDto, ProviderDemandDto, ProviderDemandQueryDto } from './dto/coverage.dto.js';
import { MatchingAccess, type RoundRef } from './matching-access.service.js';
import { MatchingRepository } from './matching.repository.js';

export type CoverageResult = { json: CoverageReportDto } | { body: Buffer; contentType: string; filename: string };

const roundOf = (round: RoundRef) => ({ id: round.id, title: round.title, status: round.status });

/** Where demand meets supply: the coordinator's coverage report and the providers' demand view. */
@Injectable()
export class CoverageService {
  constructor(
    private readonly repository: MatchingRepository,
    private readonly access: MatchingAccess,
    private readonly providerAccess: ProviderAccess,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  async coverage(roundId: string): Promise<CoverageReportDto> {
    const round = await this.access.round(roundId);
    const now = this.clock.now();
    const [rows, themes] = await Promise.all([this.repository.coverage(roundId, now), this.themeNames()]);
    return {
      round: roundOf(round),
      generatedAt: now.toISOString(),
      cells: rows.map((row) => ({
        themeCode: row.theme_code,
        themeNameSv: themes.get(row.theme_code)?.sv ?? row.theme_code,
        themeNameEn: themes.get(row.theme_code)?.en ?? row.theme_code,
        countyCode: row.county_code,
        countyName: row.county_name,
        people: row.people,
        seats: row.seats,
        localSeats: row.local_seats,
        onlineSeats: row.online_seats,
        sessions: row.sessions,
        gap: row.gap,
        noSupply: row.people > 0 && row.seats === 0,
        best: row.best,
      })),
    };
  }

  async export(roundId: string, query: CoverageQueryDto): Promise<CoverageResult> {
    const report = await this.coverage(roundId);
    if (query.format !== 'csv' && query.format !== 'xlsx') return { json: report };
    const sections = [
      {
        sheet: 'Täckning',
        title: `Täckning: behov och utbud per tema och län – ${report.round.title}`,
        headers: ['Tema', 'Kod', 'Län', 'Länskod', 'Antal personer', 'Lediga platser', 'Varav på plats i länet', 'Varav distans', 'Tillfällen', 'Gap (personer − platser)', 'Utbud saknas', 'Bäst matchande utbud'],
        rows: report.cells.map((c) => [
          c.themeNameSv,
          c.themeCode,
          c.countyName,
          c.countyCode,
          c.people,
          c.seats,
          c.localSeats,
          c.onlineSeats,
          c.sessions,
          c.gap,
          c.noSupply ? 'Ja' : 'Nej',
          c.best.map((b) => `${b.title} (${b.providerName}, ${b.score})`).join('; '),
        ]),
      },
    ];
    const filename = `tackning-${report.generatedAt.slice(0, 10)}`;
    if (query.format === 'csv') return { body: Buffer.from(sectionsCsv(sections), 'utf8'), contentType: 'text/csv; charset=utf-8', filename: `${filename}.csv` };
    return { body: await sectionsXlsx(sections), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `${filename}.xlsx` };
  }

  async providerDemand(user: AuthUser, providerId: string, query: ProviderDemandQueryDto): Promise<ProviderDemandDto> {
    await this.providerAccess.require(user, providerId);
    const round = query.roundId ? await this.access.round(query.roundId) : await this.access.latestRound();
    if (round.status === 'draft' && user.globalRole !== 'coordinator') {
      throw AppError.forbidden('The round has not been opened yet', NeedsErrorCode.ROUND_ACCESS_DENIED);
    }
    const [rows, offered, themes] = await Promise.all([
      this.repository.providerDemand(round.id, this.clock.now(), providerId),
      this.repository.offeredThemes(providerId),
      this.themeNames(),
    ]);
    return {
      round: roundOf(round),
      providerId,
      themesOffered: offered,
      cells: rows.map((row) => ({
        themeCode: row.theme_code,
        themeNameSv: themes.get(row.theme_code)?.sv ?? row.theme_code,
        countyCode: row.county_code,
        countyName: row.county_name,
        people: suppress(row.people),
        offeredByProvider: row.offered,
        seats: row.seats,
        noSupply: row.seats === 0,
      })),
    };
  }

  private async themeNames(): Promise<Map<string, { sv: string; en: string }>> {
    return new Map((await this.reference.themes()).map((t) => [t.code, { sv: t.nameSv, en: t.nameEn }]));
  }
}
