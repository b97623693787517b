import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { CatalogueSupplyService } from '../catalogue/catalogue-supply.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CoverageService } from '../matching/coverage.service.js';
import type { CoverageCellDto } from '../matching/dto/coverage.dto.js';
import type { DemandCell } from '../needs/needs-report.repository.js';
import { NeedsReportService } from '../needs/needs-report.service.js';
import type { DraftResultDto } from './dto/intervention.dto.js';
import { propose, type Proposal } from './draft-proposal.js';
import { InterventionViews } from './intervention-views.js';
import { Intervention, ProgrammeDraft } from './programme.entity.js';
import { ProgrammesService } from './programmes.service.js';

/**
 * Drafts a programme from a needs round's coverage (matching's CoverageService: the one computation
 * of demand against supply) and the round's statements (the needs module). Idempotent per
 * (programme, round): a `programme_drafts` row is written in the same transaction as the proposals,
 * under the programme's row lock, so a second run (or a concurrent one) returns the first run's
 * proposals that still exist, with `created: false`.
 */
@Injectable()
export class ProgrammeDraftService {
  private readonly logger = new Logger(ProgrammeDraftService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly programmes: ProgrammesService,
    private readonly coverage: CoverageService,
    private readonly needs: NeedsReportService,
    private readonly catalogue: CatalogueSupplyService,
    private readonly views: InterventionViews,
  ) {}

  async draft(user: AuthUser, programmeId: string, roundId: string): Promise<DraftResultDto> {
    const programme = await this.programmes.find(programmeId);
    const existing = await this.existing(programmeId, roundId);
    if (existing) return existing;
    const [coverage, demand] = await Promise.all([this.coverage.coverage(roundId), this.needs.demandCells(roundId)]);
    const proposals = await this.proposals(roundId, coverage.cells, demand);
    const result = await this.dataSource.transaction(async (manager) => {
      await this.programmes.find(programmeId, manager, true);
      const claimed = (await manager.query(
        `INSERT INTO programme_drafts (programme_id, round_id, proposals, created_by_user_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (programme_id, round_id) DO NOTHING RETURNING programme_id`,
        [programmeId, roundId, proposals.length, user.id],
      )) as unknown[];
      if (claimed.length === 0) return null;
      const rows = manager.getRepository(Intervention).create(
        proposals.map((p) => ({
          programmeId,
          title: p.title,
          themeCode: p.themeCode,
          targetGroups: p.targetGroups.length ? p.targetGroups : ['social_economy'],
          format: p.format,
          counties: p.counties,
          plannedParticipants: p.plannedParticipants,
          plannedWomen: p.plannedWomen,
          plannedMen: p.plannedMen,
          hoursPerParticipant: String(p.hoursPerParticipant),
          providerId: p.providerId,
          costSek: String(p.costSek),
          startsOn: programme.startsOn,
          endsOn: programme.endsOn,
          status: 'proposed' as const,
          sourceRoundId: roundId,
          explanation: p.explanation as unknown as Record<string, unknown>,
        })),
      );
      const saved = rows.length ? await manager.getRepository(Intervention).save(rows, { chunk: 500 }) : [];
      return saved.map((r) => r.id);
    });
    if (result === null) return (await this.existing(programmeId, roundId))!;
    this.logger.log(`programme ${programmeId} drafted from round ${roundId}: ${result.length} proposal(s)`);
    const items = await this.views.byIds(result);
    return { items, total: items.length, created: true };
  }

  private async existing(programmeId: string, roundId: string): Promise<DraftResultDto | null> {
    const done = await this.dataSource.getRepository(ProgrammeDraft).existsBy({ programmeId, roundId });
    if (!done) return null;
    const rows = await this.dataSource.getRepository(Intervention).find({ where: { programmeId, sourceRoundId: roundId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const items = await this.views.toDtos(rows);
    return { items, total: items.length, created: false };
  }

  private async proposals(roundId: string, cells: CoverageCellDto[], demand: DemandCell[]): Promise<Proposal[]> {
    const demandByCell = new Map(demand.map((d) => [`${d.themeCode}|${d.countyCode}`, d]));
    const unmet = cells.filter((c) => c.people > 0 && c.gap > 0);
    const offerings = new Map(
      (await this.catalogue.offerings([...new Set(unmet.map((c) => c.best[0]?.offeringId).filter((id): id is string => Boolean(id)))])).map((o) => [o.id, o]),
    );
    const defaults = { costPerHourSek: this.config.programmeCostPerHourSek, hoursPerParticipant: this.config.programmeHoursPerParticipant };
    const out: Proposal[] = [];
    for (const cell of unmet) {
      const best = cell.best[0];
      const offering = best ? offerings.get(best.offeringId) : undefined;
      const suggestion = best && offering ? { offeringId: best.offeringId, title: best.title, providerId: offering.providerId, providerName: best.providerName, score: best.score } : null;
      const proposal = propose(roundId, cell, demandByCell.get(`${cell.themeCode}|${cell.countyCode}`), suggestion, defaults);
      if (proposal) out.push(proposal);
    }
    return out;
  }
}
