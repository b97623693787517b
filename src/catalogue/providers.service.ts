import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { CatalogueReference } from './catalogue-reference.js';
import { CatalogueErrorCode } from './catalogue.errors.js';
import type { CreateProviderDto, ProviderDto, UpdateProviderDto } from './dto/provider.dto.js';
import { ProviderAccess } from './provider-access.service.js';
import { Provider } from './provider.entity.js';

export function toProviderDto(row: Provider): ProviderDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    orgNumber: row.orgNumber,
    municipalityCode: row.municipalityCode,
    website: row.website,
    contactEmail: row.contactEmail,
    createdAt: row.createdAt.toISOString(),
  };
}

function nameTaken(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string }).code === '23505' &&
    (error.driverError as { constraint?: string }).constraint === 'uq_providers_name'
  );
}

/** Providers: created by coordinators, public to read, changed by coordinators or their own staff. */
@Injectable()
export class ProvidersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProviderAccess,
    private readonly reference: CatalogueReference,
    private readonly audit: AuditService,
  ) {}

  async create(user: AuthUser, dto: CreateProviderDto): Promise<ProviderDto> {
    await this.reference.assertKnown([{ field: 'municipalityCode', kind: 'municipality', codes: [dto.municipalityCode] }]);
    try {
      const provider = await this.dataSource.transaction(async (manager) => {
        const saved = await manager.getRepository(Provider).save({ ...dto });
        await this.audit.record(manager, { actorUserId: user.id, action: 'provider.created', providerId: saved.id });
        return saved;
      });
      return this.get(provider.id);
    } catch (error) {
      if (nameTaken(error)) throw AppError.conflict(CatalogueErrorCode.PROVIDER_NAME_TAKEN, 'A provider with this name exists', { field: 'name' });
      throw error;
    }
  }

  async list(page: { limit: number; offset: number }): Promise<Page<ProviderDto>> {
    const [rows, total] = await this.dataSource
      .getRepository(Provider)
      .findAndCount({ order: { name: 'ASC', id: 'ASC' }, take: page.limit, skip: page.offset });
    return { items: rows.map(toProviderDto), total };
  }

  async get(id: string): Promise<ProviderDto> {
    const row = await this.dataSource.getRepository(Provider).findOneBy({ id });
    if (!row) throw AppError.notFound('Provider', CatalogueErrorCode.PROVIDER_NOT_FOUND);
    return toProviderDto(row);
  }

  async update(user: AuthUser, id: string, dto: UpdateProviderDto): Promise<ProviderDto> {
    await this.access.require(user, id);
    await this.reference.assertKnown([{ field: 'municipalityCode', kind: 'municipality', codes: [dto.municipalityCode] }]);
    try {
      await this.dataSource.transaction(async (manager) => {
        if (Object.keys(dto).length > 0) await manager.getRepository(Provider).update({ id }, { ...dto });
        await this.audit.record(manager, {
          actorUserId: user.id,
          action: 'provider.updated',
          providerId: id,
          details: { fields: Object.keys(dto) },
        });
      });
    } catch (error) {
      if (nameTaken(error)) throw AppError.conflict(CatalogueErrorCode.PROVIDER_NAME_TAKEN, 'A provider with this name exists', { field: 'name' });
      throw error;
    }
    return this.get(id);
  }
}
