import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import type { CreateProgrammeDto, ProgrammeDto, UpdateProgrammeDto } from './dto/programme.dto.js';
import { ProgrammeAccess, type Viewer } from './programme-access.service.js';
import { Programme } from './programme.entity.js';
import { ProgrammeErrorCode } from './programmes.errors.js';
import { ProgrammesRepository, type EsfDelivery } from './programmes.repository.js';

function toDto(p: Programme, interventions: number): ProgrammeDto {
  return {
    id: p.id,
    title: p.title,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    fundingSource: p.fundingSource,
    budgetSek: Number(p.budgetSek),
    unitCostPerHourSek: p.unitCostPerHourSek === null ? null : Number(p.unitCostPerHourSek),
    esfReporting: p.esfReporting,
    timeCosign: p.timeCosign,
    finalPaymentYear: p.finalPaymentYear,
    interventions,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Programmes: coordinators create and change them; org admins and provider staff see those with interventions that concern them. */
@Injectable()
export class ProgrammesService {
  private readonly logger = new Logger(ProgrammesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProgrammeAccess,
    private readonly repository: ProgrammesRepository,
  ) {}

  async create(user: AuthUser, dto: CreateProgrammeDto): Promise<ProgrammeDto> {
    if (dto.endsOn < dto.startsOn) throw AppError.validation('endsOn', 'must not be before startsOn');
    const saved = await this.dataSource.getRepository(Programme).save(
      this.dataSource.getRepository(Programme).create({
        title: dto.title,
        startsOn: dto.startsOn,
        endsOn: dto.endsOn,
        fundingSource: dto.fundingSource,
        budgetSek: String(dto.budgetSek),
        unitCostPerHourSek: dto.unitCostPerHourSek === undefined ? null : String(dto.unitCostPerHourSek),
        esfReporting: dto.esfReporting ?? false,
        timeCosign: dto.timeCosign ?? false,
        finalPaymentYear: dto.finalPaymentYear ?? null,
        createdByUserId: user.id,
      }),
    );
    this.logger.log(`programme ${saved.id} created`);
    return toDto(await this.find(saved.id), 0);
  }

  async list(user: AuthUser, page: { limit: number; offset: number }): Promise<Page<ProgrammeDto>> {
    const viewer = await this.access.viewer(user);
    const { rows, total } = await this.repository.visibleProgrammes(viewer, page.limit, page.offset);
    const programmes = await this.dataSource.getRepository(Programme).findBy({ id: In(rows.map((r) => r.id)) });
    const byId = new Map(programmes.map((p) => [p.id, p]));
    return { items: rows.map((r) => toDto(byId.get(r.id)!, r.interventions)), total };
  }

  async get(user: AuthUser, id: string): Promise<ProgrammeDto> {
    const { programme, interventionIds } = await this.readable(user, id);
    return toDto(programme, interventionIds.length);
  }

  async update(id: string, dto: UpdateProgrammeDto): Promise<ProgrammeDto> {
    await this.dataSource.transaction(async (manager) => {
      const programme = await this.find(id, manager, true);
      const startsOn = dto.startsOn ?? programme.startsOn;
      const endsOn = dto.endsOn ?? programme.endsOn;
      if (endsOn < startsOn) throw AppError.validation('endsOn', 'must not be before startsOn');
      const changes: Partial<Programme> = { startsOn, endsOn };
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.fundingSource !== undefined) changes.fundingSource = dto.fundingSource;
      if (dto.budgetSek !== undefined) changes.budgetSek = String(dto.budgetSek);
      if (dto.unitCostPerHourSek !== undefined) changes.unitCostPerHourSek = String(dto.unitCostPerHourSek);
      if (dto.esfReporting !== undefined) changes.esfReporting = dto.esfReporting;
      if (dto.timeCosign !== undefined) changes.timeCosign = dto.timeCosign;
      if (dto.finalPaymentYear !== undefined) changes.finalPaymentYear = dto.finalPaymentYear;
      await manager.getRepository(Programme).update({ id }, changes);
    });
    const interventions = await this.repository.visibleInterventionIds(id, { all: true });
    return toDto(await this.find(id), interventions.length);
  }

  /** The programme (404) and the ids of the interventions the caller may read; 403 when none concerns a non-coordinator. */
  async readable(user: AuthUser, id: string): Promise<{ programme: Programme; viewer: Viewer; interventionIds: string[] }> {
    const viewer = await this.access.viewer(user);
    const programme = await this.find(id);
    const interventionIds = await this.repository.visibleInterventionIds(id, viewer);
    if (!viewer.all && interventionIds.length === 0) {
      throw AppError.forbidden('No intervention of this programme concerns you', ProgrammeErrorCode.ACCESS_DENIED);
    }
    return { programme, viewer, interventionIds };
  }

  /** For ESF participants: the ESF programme a session delivers (through its offering's intervention), read in the caller's transaction. */
  esfDeliveryOfSession(manager: EntityManager, sessionId: string): Promise<EsfDelivery | null> {
    return this.repository.esfDeliveryOfSession(manager, sessionId);
  }

  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Programme> {
    const programme = await manager.getRepository(Programme).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!programme) throw AppError.notFound('Programme', ProgrammeErrorCode.PROGRAMME_NOT_FOUND);
    return programme;
  }
}
