import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { CatalogueSupplyService } from '../catalogue/catalogue-supply.service.js';
import { Clock } from '../common/clock.js';
import { AppError, CommonErrorCode, type FieldError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { CreateInterventionDto, InterventionDto, UpdateInterventionDto } from './dto/intervention.dto.js';
import { InterventionViews } from './intervention-views.js';
import { ProgrammeAccess } from './programme-access.service.js';
import { Intervention, InterventionOffering } from './programme.entity.js';
import { ProgrammeErrorCode } from './programmes.errors.js';
import { ProgrammesRepository } from './programmes.repository.js';
import { ProgrammesService } from './programmes.service.js';

type Shape = Required<Omit<CreateInterventionDto, 'title' | 'plannedWomen' | 'plannedMen' | 'providerId'>> &
  Pick<CreateInterventionDto, 'title' | 'plannedWomen' | 'plannedMen' | 'providerId'>;

function invalid(details: FieldError[]): AppError {
  return new AppError(400, CommonErrorCode.VALIDATION_FAILED, `Invalid input: ${details.map((d) => `${d.field} ${d.messages.join(', ')}`).join('; ')}`, details);
}

/** The stored columns of an intervention's editable fields. */
function columns(shape: Shape & { title: string }) {
  return {
    title: shape.title,
    themeCode: shape.themeCode,
    targetGroups: shape.targetGroups,
    format: shape.format,
    counties: shape.counties,
    plannedParticipants: shape.plannedParticipants,
    plannedWomen: shape.plannedWomen ?? null,
    plannedMen: shape.plannedMen ?? null,
    hoursPerParticipant: String(shape.hoursPerParticipant),
    providerId: shape.providerId ?? null,
    costSek: String(shape.costSek),
    startsOn: shape.startsOn,
    endsOn: shape.endsOn,
  };
}

/**
 * Interventions of a programme: created by hand or drafted, edited, approved (proposed → approved),
 * cancelled (→ cancelled), deleted while proposed; offerings linked to deliver them.
 */
@Injectable()
export class InterventionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programmes: ProgrammesService,
    private readonly access: ProgrammeAccess,
    private readonly repository: ProgrammesRepository,
    private readonly views: InterventionViews,
    private readonly reference: ReferenceService,
    private readonly catalogue: CatalogueSupplyService,
    private readonly clock: Clock,
  ) {}

  async create(programmeId: string, dto: CreateInterventionDto): Promise<InterventionDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.programmes.find(programmeId, manager);
      await this.validate(dto as Shape, manager);
      const theme = (await this.reference.themes()).find((t) => t.code === dto.themeCode)!;
      const saved = await manager.getRepository(Intervention).save(
        manager.getRepository(Intervention).create({
          programmeId,
          ...columns({ ...(dto as Shape), title: dto.title ?? `${theme.nameSv} – ${dto.counties.join(', ')}` }),
          status: 'proposed',
          sourceRoundId: null,
          explanation: null,
        }),
      );
      return (await this.views.byIds([saved.id], manager))[0];
    });
  }

  async list(user: AuthUser, programmeId: string, page: { limit: number; offset: number }): Promise<Page<InterventionDto>> {
    const { interventionIds } = await this.programmes.readable(user, programmeId);
    return { items: await this.views.byIds(interventionIds.slice(page.offset, page.offset + page.limit)), total: interventionIds.length };
  }

  async get(user: AuthUser, id: string): Promise<InterventionDto> {
    const viewer = await this.access.viewer(user);
    await this.find(id);
    if (!(await this.repository.canRead(id, viewer))) throw AppError.forbidden('This intervention does not concern you', ProgrammeErrorCode.ACCESS_DENIED);
    return (await this.views.byIds([id]))[0];
  }

  async update(id: string, dto: UpdateInterventionDto): Promise<InterventionDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.find(id, manager, true);
      if (current.status === 'cancelled') throw AppError.conflict(ProgrammeErrorCode.INTERVENTION_CANCELLED, 'A cancelled intervention cannot be changed');
      const merged: Shape & { title: string } = {
        title: dto.title ?? current.title,
        themeCode: dto.themeCode ?? current.themeCode,
        targetGroups: dto.targetGroups ?? current.targetGroups,
        format: dto.format ?? current.format,
        counties: dto.counties ?? current.counties,
        plannedParticipants: dto.plannedParticipants ?? current.plannedParticipants,
        plannedWomen: dto.plannedWomen !== undefined ? dto.plannedWomen : current.plannedWomen,
        plannedMen: dto.plannedMen !== undefined ? dto.plannedMen : current.plannedMen,
        hoursPerParticipant: dto.hoursPerParticipant ?? Number(current.hoursPerParticipant),
        providerId: dto.providerId !== undefined ? dto.providerId : current.providerId,
        costSek: dto.costSek ?? Number(current.costSek),
        startsOn: dto.startsOn ?? current.startsOn,
        endsOn: dto.endsOn ?? current.endsOn,
      };
      await this.validate(merged, manager);
      await manager.getRepository(Intervention).update({ id }, columns(merged));
      return (await this.views.byIds([id], manager))[0];
    });
  }

  async approve(id: string): Promise<InterventionDto> {
    return this.transition(id, ['proposed'], { status: 'approved', approvedAt: this.clock.now() });
  }

  async cancel(id: string): Promise<InterventionDto> {
    return this.transition(id, ['proposed', 'approved'], { status: 'cancelled', cancelledAt: this.clock.now() });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.find(id, manager, true);
      if (current.status !== 'proposed') {
        throw AppError.conflict(ProgrammeErrorCode.INTERVENTION_NOT_PROPOSED, `Only a proposed intervention can be deleted; this one is ${current.status} (cancel it instead)`, { status: current.status });
      }
      await manager.getRepository(Intervention).delete({ id });
    });
  }

  async linkOffering(id: string, offeringId: string): Promise<InterventionDto> {
    return this.dataSource.transaction(async (manager) => {
      // The intervention's row lock orders a link against a concurrent cancellation.
      const current = await this.find(id, manager, true);
      if (current.status === 'cancelled') throw AppError.conflict(ProgrammeErrorCode.INTERVENTION_CANCELLED, 'Offerings cannot be linked to a cancelled intervention');
      const [offering] = await this.catalogue.offerings([offeringId], manager);
      if (!offering) throw AppError.notFound('Offering', ProgrammeErrorCode.OFFERING_NOT_FOUND);
      const inserted = (await manager.query(
        `INSERT INTO intervention_offerings (offering_id, intervention_id) VALUES ($1, $2) ON CONFLICT (offering_id) DO NOTHING RETURNING offering_id`,
        [offeringId, id],
      )) as unknown[];
      if (inserted.length === 0) {
        const existing = await manager.getRepository(InterventionOffering).findOneBy({ offeringId });
        throw AppError.conflict(ProgrammeErrorCode.OFFERING_ALREADY_LINKED, 'The offering already delivers an intervention (an offering is linked at most once)', {
          field: 'offeringId',
          interventionId: existing?.interventionId ?? null,
        });
      }
      return (await this.views.byIds([id], manager))[0];
    });
  }

  async unlinkOffering(id: string, offeringId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.find(id, manager, true);
      const result = await manager.getRepository(InterventionOffering).delete({ interventionId: id, offeringId });
      if (!result.affected) throw AppError.notFound('Linked offering', ProgrammeErrorCode.OFFERING_NOT_LINKED);
    });
  }

  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Intervention> {
    const row = await manager.getRepository(Intervention).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!row) throw AppError.notFound('Intervention', ProgrammeErrorCode.INTERVENTION_NOT_FOUND);
    return row;
  }

  private async transition(id: string, from: Intervention['status'][], changes: Pick<Intervention, 'status'> & Partial<Pick<Intervention, 'approvedAt' | 'cancelledAt'>>): Promise<InterventionDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.find(id, manager, true);
      if (!from.includes(current.status)) {
        throw AppError.conflict(ProgrammeErrorCode.INTERVENTION_WRONG_STATE, `The intervention is ${current.status}; this needs ${from.join(' or ')}`, { status: current.status });
      }
      await manager.getRepository(Intervention).update({ id }, changes);
      return (await this.views.byIds([id], manager))[0];
    });
  }

  /** Rules across fields and against reference data and the catalogue; one 400 naming every bad field. */
  private async validate(shape: Shape, manager: EntityManager): Promise<void> {
    const details: FieldError[] = [];
    if (shape.endsOn < shape.startsOn) details.push({ field: 'endsOn', messages: ['must not be before startsOn'] });
    if ((shape.plannedWomen ?? 0) + (shape.plannedMen ?? 0) > shape.plannedParticipants) {
      details.push({ field: 'plannedWomen', messages: ['plannedWomen + plannedMen must not exceed plannedParticipants'] });
    }
    const [themes, formats, counties] = await Promise.all([
      this.reference.unknownCodes('theme', [shape.themeCode]),
      this.reference.unknownCodes('format', [shape.format]),
      this.reference.municipalities(),
    ]);
    if (themes.length) details.push({ field: 'themeCode', messages: [`unknown theme ${shape.themeCode}`] });
    if (formats.length) details.push({ field: 'format', messages: [`unknown format ${shape.format}`] });
    const known = new Set(counties.map((m) => m.countyCode));
    const unknownCounties = shape.counties.filter((c) => !known.has(c));
    if (unknownCounties.length) details.push({ field: 'counties', messages: [`unknown counties: ${unknownCounties.join(', ')}`] });
    if (shape.providerId && !(await this.catalogue.providerNames([shape.providerId], manager)).has(shape.providerId)) {
      details.push({ field: 'providerId', messages: [`unknown provider ${shape.providerId}`] });
    }
    if (details.length) throw invalid(details);
  }
}
