import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { Municipality } from '../reference/reference.entities.js';
import type { CreateOrganisationDto, OrganisationDto, OrganisationQueryDto, UpdateOrganisationDto } from './dto/organisation.dto.js';
import { OrganisationAccess } from './organisation-access.service.js';
import { OrganisationMember } from './organisation-member.entity.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationErrorCode } from './organisations.errors.js';

type OrganisationRow = Organisation & { municipality: Municipality };

export function toOrganisationDto(row: OrganisationRow): OrganisationDto {
  return {
    id: row.id,
    name: row.name,
    orgNumber: row.orgNumber,
    legalForm: row.legalForm,
    sector: row.sector,
    municipalityCode: row.municipalityCode,
    municipalityName: row.municipality.name,
    countyCode: row.municipality.countyCode,
    contactEmail: row.contactEmail,
    contactPhone: row.contactPhone,
    postalAddress: row.postalAddress,
    website: row.website,
    employeeCount: row.employeeCount,
    createdAt: row.createdAt.toISOString(),
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string; constraint?: string }).code === '23505' &&
    (error.driverError as { constraint?: string }).constraint === constraint
  );
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: OrganisationAccess,
    private readonly audit: AuditService,
  ) {}

  /** Registers an organisation; the caller becomes its first org_admin. */
  async create(user: AuthUser, dto: CreateOrganisationDto): Promise<OrganisationDto> {
    await this.assertMunicipality(dto.municipalityCode);
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        const organisation = await manager.getRepository(Organisation).save({ ...dto });
        await manager.getRepository(OrganisationMember).insert({ organisationId: organisation.id, userId: user.id, role: 'org_admin' });
        await this.audit.record(manager, {
          actorUserId: user.id,
          action: 'organisation.created',
          organisationId: organisation.id,
          subjectUserId: user.id,
        });
        return organisation.id;
      });
      return this.getDto(id);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_organisations_org_number')) {
        throw AppError.conflict(OrganisationErrorCode.ORG_NUMBER_TAKEN, 'An organisation with this organisation number is already registered', {
          field: 'orgNumber',
        });
      }
      throw error;
    }
  }

  /** Coordinators see all (with filters); everyone else sees the organisations they belong to. */
  async list(user: AuthUser, query: OrganisationQueryDto): Promise<Page<OrganisationDto>> {
    const qb = this.dataSource
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .innerJoinAndSelect('o.municipality', 'm');
    if (user.globalRole !== 'coordinator') {
      qb.andWhere('o.id IN (SELECT organisation_id FROM organisation_members WHERE user_id = :userId)', { userId: user.id });
    }
    if (query.municipality) qb.andWhere('o.municipality_code = :municipality', { municipality: query.municipality });
    if (query.county) qb.andWhere('m.county_code = :county', { county: query.county });
    if (query.legalForm) qb.andWhere('o.legal_form = :legalForm', { legalForm: query.legalForm });
    if (query.sector) qb.andWhere('o.sector = :sector', { sector: query.sector });
    if (query.q) {
      qb.andWhere("(o.name ILIKE :q ESCAPE '\\' OR o.org_number LIKE :q ESCAPE '\\')", {
        q: `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    const [rows, total] = await qb.orderBy('o.name', 'ASC').addOrderBy('o.id').take(query.limit).skip(query.offset).getManyAndCount();
    return { items: rows.map((row) => toOrganisationDto(row as OrganisationRow)), total };
  }

  async get(user: AuthUser, id: string): Promise<OrganisationDto> {
    await this.access.require(user, id, 'member');
    return this.getDto(id);
  }

  async update(user: AuthUser, id: string, dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    if (dto.municipalityCode) await this.assertMunicipality(dto.municipalityCode);
    await this.dataSource.transaction(async (manager) => {
      await this.access.require(user, id, 'admin', manager);
      if (Object.keys(dto).length > 0) await manager.getRepository(Organisation).update({ id }, { ...dto });
      await this.audit.record(manager, {
        actorUserId: user.id,
        action: 'organisation.updated',
        organisationId: id,
        details: { fields: Object.keys(dto) },
      });
    });
    return this.getDto(id);
  }

  /** Organisation names by id, for other modules' views (e.g. a person's memberships). */
  async namesByIds(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.getRepository(Organisation).createQueryBuilder('o').select(['o.id', 'o.name']).whereInIds(ids).getMany();
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  private async getDto(id: string): Promise<OrganisationDto> {
    const row = await this.dataSource.getRepository(Organisation).findOneOrFail({ where: { id }, relations: { municipality: true } });
    return toOrganisationDto(row as OrganisationRow);
  }

  private async assertMunicipality(code: string): Promise<void> {
    const exists = await this.dataSource.getRepository(Municipality).existsBy({ code });
    if (!exists) {
      throw new AppError(400, 'VALIDATION_FAILED', 'municipalityCode: not one of the programme\'s municipalities', [
        { field: 'municipalityCode', messages: ['is not one of the programme\'s 48 municipalities'] },
      ]);
    }
  }
}
