import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import { CatalogueErrorCode } from './catalogue.errors.js';
import { Provider, ProviderStaff } from './provider.entity.js';

/**
 * The one place that decides who may act for a provider: coordinators for all, provider staff for
 * their own provider. Unknown ids are 404; another provider's data is 403.
 */
@Injectable()
export class ProviderAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async require(user: AuthUser, providerId: string, manager: EntityManager = this.dataSource.manager): Promise<Provider> {
    const provider = await manager.getRepository(Provider).findOneBy({ id: providerId });
    if (!provider) throw AppError.notFound('Provider', CatalogueErrorCode.PROVIDER_NOT_FOUND);
    if (!(await this.actsFor(user, providerId, manager))) {
      throw AppError.forbidden('Only this provider\'s staff may do this', CatalogueErrorCode.PROVIDER_ACCESS_DENIED);
    }
    return provider;
  }

  /** Coordinators act for every provider; staff, and the provider's API keys, for their own. */
  async actsFor(user: AuthUser, providerId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (user.globalRole === 'coordinator') return true;
    if (user.apiKey) return user.apiKey.providerId === providerId;
    return this.isStaff(user.id, providerId, manager);
  }

  isStaff(userId: string, providerId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.getRepository(ProviderStaff).existsBy({ userId, providerId });
  }

  /** Ids of the providers the person works for. */
  async providerIdsOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await manager.getRepository(ProviderStaff).find({ where: { userId }, select: { providerId: true } });
    return rows.map((r) => r.providerId);
  }

  /** The provider an offering belongs to, checked as above (404 for an unknown offering). */
  async requireForOffering(user: AuthUser, offeringId: string, manager: EntityManager = this.dataSource.manager): Promise<Provider> {
    const [row] = (await manager.query('SELECT provider_id FROM offerings WHERE id = $1', [offeringId])) as { provider_id: string }[];
    if (!row) throw AppError.notFound('Offering', CatalogueErrorCode.OFFERING_NOT_FOUND);
    return this.require(user, row.provider_id, manager);
  }

  /** The provider a session belongs to, checked as above (404 for an unknown session). */
  async requireForSession(user: AuthUser, sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<Provider> {
    const [row] = (await manager.query(
      'SELECT o.provider_id FROM sessions s JOIN offerings o ON o.id = s.offering_id WHERE s.id = $1',
      [sessionId],
    )) as { provider_id: string }[];
    if (!row) throw AppError.notFound('Session', CatalogueErrorCode.SESSION_NOT_FOUND);
    return this.require(user, row.provider_id, manager);
  }
}
