import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CatalogueSupplyService } from '../catalogue/catalogue-supply.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { ExplanationDto, InterventionDto } from './dto/intervention.dto.js';
import { Intervention, InterventionOffering } from './programme.entity.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Interventions as the API shows them: with theme and provider names and their linked offerings. */
@Injectable()
export class InterventionViews {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogue: CatalogueSupplyService,
    private readonly reference: ReferenceService,
  ) {}

  async byIds(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<InterventionDto[]> {
    if (ids.length === 0) return [];
    const rows = await manager.getRepository(Intervention).find({ where: { id: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return this.toDtos(rows, manager);
  }

  async toDtos(rows: Intervention[], manager: EntityManager = this.dataSource.manager): Promise<InterventionDto[]> {
    if (rows.length === 0) return [];
    const [links, themes, providers] = await Promise.all([
      manager.getRepository(InterventionOffering).find({ where: { interventionId: In(rows.map((r) => r.id)) }, order: { createdAt: 'ASC' } }),
      this.reference.themes(),
      this.catalogue.providerNames([...new Set(rows.map((r) => r.providerId).filter((id): id is string => id !== null))], manager),
    ]);
    const themeNames = new Map(themes.map((t) => [t.code, t.nameSv]));
    return rows.map((r) => {
      const hours = Number(r.hoursPerParticipant);
      return {
        id: r.id,
        programmeId: r.programmeId,
        title: r.title,
        themeCode: r.themeCode,
        themeNameSv: themeNames.get(r.themeCode) ?? r.themeCode,
        targetGroups: r.targetGroups,
        format: r.format,
        counties: r.counties,
        plannedParticipants: r.plannedParticipants,
        plannedWomen: r.plannedWomen,
        plannedMen: r.plannedMen,
        hoursPerParticipant: hours,
        plannedParticipantHours: Math.round(r.plannedParticipants * hours * 10) / 10,
        providerId: r.providerId,
        providerName: r.providerId ? (providers.get(r.providerId) ?? null) : null,
        toProcure: r.providerId === null,
        costSek: Number(r.costSek),
        startsOn: r.startsOn,
        endsOn: r.endsOn,
        status: r.status,
        sourceRoundId: r.sourceRoundId,
        explanation: r.explanation as unknown as ExplanationDto | null,
        offeringIds: links.filter((l) => l.interventionId === r.id).map((l) => l.offeringId),
        approvedAt: iso(r.approvedAt),
        cancelledAt: iso(r.cancelledAt),
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
}
