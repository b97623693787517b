import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import type { Page } from '../common/pagination.js';
import type { ApiKeyDto, CreatedApiKeyDto } from './dto/integrations.dto.js';

/** A provider's API keys, managed by its staff and coordinators (ProviderAccess), audited. */
@Injectable()
export class ProviderApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysService,
    private readonly access: ProviderAccess,
    private readonly audit: AuditService,
  ) {}

  create(user: AuthUser, providerId: string, name: string): Promise<CreatedApiKeyDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.require(user, providerId, manager);
      const { key, view } = await this.keys.create(manager, providerId, name, user.id);
      await this.audit.record(manager, { actorUserId: user.id, action: 'api_key.created', providerId, details: { apiKeyId: view.id } });
      return { ...view, key };
    });
  }

  async list(user: AuthUser, providerId: string, page: { limit: number; offset: number }): Promise<Page<ApiKeyDto>> {
    await this.access.require(user, providerId);
    return this.keys.list(providerId, page);
  }

  async get(user: AuthUser, providerId: string, keyId: string): Promise<ApiKeyDto> {
    await this.access.require(user, providerId);
    return this.keys.get(providerId, keyId);
  }

  async revoke(user: AuthUser, providerId: string, keyId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.require(user, providerId, manager);
      await this.keys.revoke(manager, providerId, keyId);
      await this.audit.record(manager, { actorUserId: user.id, action: 'api_key.revoked', providerId, details: { apiKeyId: keyId } });
    });
  }
}
