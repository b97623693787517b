import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { Clock } from '../common/clock.js';
import { hashToken } from '../common/crypto.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { rows } from '../database/sql.js';
import { ApiKey } from './api-key.entity.js';
import { AuthErrorCode } from './auth.errors.js';
import type { AuthUser } from './auth-user.js';

export const API_KEY_PREFIX = 'klk_';
/** `last_used_at` is written at most this often per key (not on every request). */
const LAST_USED_EVERY_MS = 60_000;

export interface ApiKeyView {
  id: string;
  providerId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Whether a credential is an API key (keys start `klk_`; access tokens are JWTs, which never do). */
export function isApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

/**
 * API keys of providers' own systems. Who may manage a provider's keys is decided by the caller
 * (ProviderAccess); this service makes, lists, revokes and recognises them.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A new key: the only time it is seen (only its hash is kept). */
  async create(manager: EntityManager, providerId: string, name: string, createdByUserId: string | null): Promise<{ key: string; view: ApiKeyView }> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const saved = await manager.getRepository(ApiKey).save({
      providerId,
      name,
      keyHash: hashToken(key),
      keyPrefix: key.slice(0, 8),
      createdByUserId,
      lastUsedAt: null,
      revokedAt: null,
    });
    return { key, view: toView(saved) };
  }

  async list(providerId: string, page: { limit: number; offset: number }): Promise<Page<ApiKeyView>> {
    const [items, total] = await this.dataSource.getRepository(ApiKey).findAndCount({
      where: { providerId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: items.map(toView), total };
  }

  async get(providerId: string, keyId: string): Promise<ApiKeyView> {
    const key = await this.dataSource.getRepository(ApiKey).findOneBy({ id: keyId, providerId });
    if (!key) throw AppError.notFound('API key', AuthErrorCode.API_KEY_NOT_FOUND);
    return toView(key);
  }

  /** Revokes the key at once (its next request is 401). Revoking a revoked key changes nothing. */
  async revoke(manager: EntityManager, providerId: string, keyId: string): Promise<ApiKeyView> {
    const repo = manager.getRepository(ApiKey);
    await repo.update({ id: keyId, providerId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    const key = await repo.findOneBy({ id: keyId, providerId });
    if (!key) throw AppError.notFound('API key', AuthErrorCode.API_KEY_NOT_FOUND);
    return toView(key);
  }

  /** The person who made the key (who hears about what the key set up), if their account is still there. */
  async creatorOf(keyId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    return (await manager.getRepository(ApiKey).findOneBy({ id: keyId }))?.createdByUserId ?? null;
  }

  /** Keys the person made (for their data export). */
  async madeBy(manager: EntityManager, userId: string): Promise<Array<{ id: string; providerId: string; name: string; createdAt: string }>> {
    const keys = await manager.getRepository(ApiKey).find({ where: { createdByUserId: userId }, order: { createdAt: 'ASC' } });
    return keys.map((key) => ({ id: key.id, providerId: key.providerId, name: key.name, createdAt: key.createdAt.toISOString() }));
  }

  /** Erasure: the keys stay (they are the provider's), without who made them. */
  async forgetMaker(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(ApiKey).update({ createdByUserId: userId }, { createdByUserId: null });
  }

  /** The caller a key stands for, or 401 for an unknown or revoked key. */
  async authenticate(key: string): Promise<AuthUser> {
    const now = this.clock.now();
    const [row] = rows<{ id: string; provider_id: string; name: string; last_used_at: Date | null }>(
      await this.dataSource.query(
        'SELECT id, provider_id, name, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
        [hashToken(key)],
      ),
    );
    if (!row) throw AppError.unauthenticated('The API key is unknown or revoked', AuthErrorCode.API_KEY_INVALID);
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_EVERY_MS) {
      await this.dataSource.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [row.id, now]);
    }
    return { id: row.id, email: '', name: row.name, globalRole: null, locale: 'sv', apiKey: { id: row.id, providerId: row.provider_id } };
  }
}

function toView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    providerId: key.providerId,
    name: key.name,
    prefix: key.keyPrefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
