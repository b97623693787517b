import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { rows } from '../database/sql.js';
import { OrganisationAccess } from '../organisations/organisation-access.service.js';
import type {
  CreatedWebhookEndpointDto,
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveriesQueryDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
  WebhookEndpointsQueryDto,
} from './dto/integrations.dto.js';
import { IntegrationsErrorCode } from './integrations.errors.js';
import { endpointUrlProblem } from './url-guard.js';
import { encryptSecret, newWebhookSecret, webhookKey } from './webhook-crypto.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/**
 * Webhook endpoints and their delivery log. An endpoint belongs to a provider (managed by its staff,
 * its API keys and coordinators), an organisation (its admins and coordinators) or the programme
 * (coordinators). Unknown ids are 404, another owner's endpoint 403.
 */
@Injectable()
export class WebhookEndpointsService {
  private readonly logger = new Logger(WebhookEndpointsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly providers: ProviderAccess,
    private readonly organisations: OrganisationAccess,
    private readonly dispatcher: WebhookDispatcher,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeysService,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointDto> {
    if (dto.providerId && dto.organisationId) {
      throw new AppError(400, IntegrationsErrorCode.WEBHOOK_OWNER_AMBIGUOUS, 'Give providerId or organisationId, not both', [
        { field: 'organisationId', messages: ['only one of providerId and organisationId'] },
      ]);
    }
    this.checkUrl(dto.url);
    // An API key's endpoints are its provider's.
    const providerId = dto.providerId ?? (dto.organisationId ? undefined : user.apiKey?.providerId);
    return this.dataSource.transaction(async (manager) => {
      const owner = await this.requireOwner(user, { providerId: providerId ?? null, organisationId: dto.organisationId ?? null }, manager);
      const secret = newWebhookSecret();
      const endpoint = await manager.getRepository(WebhookEndpoint).save({
        ownerKind: owner,
        providerId: providerId ?? null,
        organisationId: dto.organisationId ?? null,
        url: dto.url,
        description: dto.description ?? null,
        events: dto.events,
        secretEncrypted: encryptSecret(webhookKey(this.config), secret),
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        failingSince: null,
        createdByUserId: await this.ownerContact(user, manager),
      });
      await this.audited(manager, user, 'webhook_endpoint.created', endpoint, { events: endpoint.events });
      return { ...toDto(endpoint), secret };
    });
  }

  async list(user: AuthUser, query: WebhookEndpointsQueryDto): Promise<Page<WebhookEndpointDto>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.providerId) add((n) => `provider_id = ${n}`, query.providerId);
    if (query.organisationId) add((n) => `organisation_id = ${n}`, query.organisationId);
    if (query.ownerKind) add((n) => `owner_kind = ${n}`, query.ownerKind);
    if (user.apiKey) add((n) => `provider_id = ${n}`, user.apiKey.providerId);
    else if (user.globalRole !== 'coordinator') {
      const [providerIds, organisationIds] = await Promise.all([
        this.providers.providerIdsOf(user.id),
        this.organisations.organisationIdsOf(user.id, ['org_admin']),
      ]);
      params.push(providerIds, organisationIds);
      where.push(`(provider_id = ANY($${params.length - 1}::uuid[]) OR organisation_id = ANY($${params.length}::uuid[]))`);
    }
    const repo = this.dataSource.getRepository(WebhookEndpoint);
    const filter = where.length ? where.join(' AND ') : 'true';
    const [{ n }] = rows<{ n: number }>(await this.dataSource.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE ${filter}`, params));
    const ids = rows<{ id: string }>(
      await this.dataSource.query(
        `SELECT id FROM webhook_endpoints WHERE ${filter} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, query.limit, query.offset],
      ),
    ).map((row) => row.id);
    const endpoints = ids.length ? await repo.findBy(ids.map((id) => ({ id }))) : [];
    const byId = new Map(endpoints.map((e) => [e.id, e]));
    return { items: ids.map((id) => toDto(byId.get(id)!)), total: n };
  }

  async get(user: AuthUser, id: string): Promise<WebhookEndpointDto> {
    return toDto(await this.requireEndpoint(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointDto> {
    if (dto.url !== undefined) this.checkUrl(dto.url);
    return this.dataSource.transaction(async (manager) => {
      const endpoint = await this.requireEndpoint(user, id, manager, true);
      if (dto.url !== undefined) endpoint.url = dto.url;
      if (dto.events !== undefined) endpoint.events = dto.events;
      if (dto.description !== undefined) endpoint.description = dto.description || null;
      if (dto.enabled === true && !endpoint.enabled) {
        Object.assign(endpoint, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
      } else if (dto.enabled === false && endpoint.enabled) {
        Object.assign(endpoint, { enabled: false, disabledReason: null, disabledAt: this.clock.now() });
      }
      return toDto(await manager.getRepository(WebhookEndpoint).save(endpoint));
    });
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.requireEndpoint(user, id, manager, true);
      await manager.getRepository(WebhookEndpoint).delete({ id });
      await this.audited(manager, user, 'webhook_endpoint.deleted', endpoint);
    });
  }

  /** A new secret; the old one stops signing at once. */
  async rotateSecret(user: AuthUser, id: string): Promise<{ secret: string }> {
    return this.dataSource.transaction(async (manager) => {
      const endpoint = await this.requireEndpoint(user, id, manager, true);
      const secret = newWebhookSecret();
      await manager.getRepository(WebhookEndpoint).update({ id }, { secretEncrypted: encryptSecret(webhookKey(this.config), secret) });
      await this.audited(manager, user, 'webhook_endpoint.secret_rotated', endpoint);
      return { secret };
    });
  }

  async deliveries(user: AuthUser, id: string, query: WebhookDeliveriesQueryDto): Promise<Page<WebhookDeliveryDto>> {
    await this.requireEndpoint(user, id);
    const [items, total] = await this.dataSource.getRepository(WebhookDelivery).findAndCount({
      where: { endpointId: id, ...(query.status ? { status: query.status } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: items.map(toDeliveryDto), total };
  }

  /** A `webhook.test` delivery to the endpoint (signed like any other), sent at once. */
  async test(user: AuthUser, id: string): Promise<{ deliveryId: string }> {
    const endpoint = await this.requireEndpoint(user, id);
    const now = this.clock.now();
    const delivery = await this.dataSource.getRepository(WebhookDelivery).save({
      endpointId: endpoint.id,
      eventType: 'webhook.test',
      body: JSON.stringify({ type: 'webhook.test', timestamp: now.toISOString(), data: { endpointId: endpoint.id } }),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      lastStatusCode: null,
      lastError: null,
      sentAt: null,
    });
    this.sendSoon();
    return { deliveryId: delivery.id };
  }

  /** Makes a delivery due again now (whatever became of it), for the endpoint's managers. */
  async retry(user: AuthUser, deliveryId: string): Promise<{ deliveryId: string }> {
    const delivery = await this.dataSource.getRepository(WebhookDelivery).findOneBy({ id: deliveryId });
    if (!delivery) throw AppError.notFound('Webhook delivery', IntegrationsErrorCode.WEBHOOK_DELIVERY_NOT_FOUND);
    await this.requireEndpoint(user, delivery.endpointId);
    if (!(await this.dispatcher.retryNow(deliveryId))) {
      throw AppError.conflict(IntegrationsErrorCode.WEBHOOK_DELIVERY_IN_FLIGHT, 'The delivery is being sent right now');
    }
    this.sendSoon();
    return { deliveryId };
  }

  /** Sends due deliveries now instead of at the next interval (errors are the dispatcher's to log). */
  private sendSoon(): void {
    this.dispatcher.dispatchDue().catch((error: unknown) => this.logger.error({ err: error }, 'webhook dispatch failed'));
  }

  /** Audited with who acted: a person, or (actor null) a provider's API key named in the details. */
  private audited(manager: EntityManager, user: AuthUser, action: string, endpoint: WebhookEndpoint, details: Record<string, unknown> = {}): Promise<void> {
    return this.audit.record(manager, {
      actorUserId: user.apiKey ? null : user.id,
      action,
      providerId: endpoint.providerId,
      organisationId: endpoint.organisationId,
      details: { endpointId: endpoint.id, ...details, ...(user.apiKey ? { apiKeyId: user.apiKey.id } : {}) },
    });
  }

  private checkUrl(url: string): void {
    const problem = endpointUrlProblem(url, { production: this.config.nodeEnv === 'production', allowPrivate: this.config.webhooksAllowPrivateUrls });
    if (problem) throw new AppError(400, IntegrationsErrorCode.WEBHOOK_URL_REFUSED, `url: ${problem}`, [{ field: 'url', messages: [problem] }]);
  }

  /** Who is emailed when the endpoint is turned off: the person, or the person who made the API key. */
  private async ownerContact(user: AuthUser, manager: EntityManager): Promise<string | null> {
    return user.apiKey ? this.apiKeys.creatorOf(user.apiKey.id, manager) : user.id;
  }

  private async requireOwner(
    user: AuthUser,
    owner: { providerId: string | null; organisationId: string | null },
    manager: EntityManager,
  ): Promise<WebhookEndpoint['ownerKind']> {
    if (owner.providerId) {
      await this.providers.require(user, owner.providerId, manager);
      return 'provider';
    }
    if (user.apiKey) throw AppError.forbidden('An API key manages its own provider\'s endpoints only', IntegrationsErrorCode.WEBHOOK_ACCESS_DENIED);
    if (owner.organisationId) {
      await this.organisations.require(user, owner.organisationId, 'admin', manager);
      return 'organisation';
    }
    if (user.globalRole !== 'coordinator') {
      throw AppError.forbidden('Only coordinators manage the programme\'s endpoints', IntegrationsErrorCode.WEBHOOK_ACCESS_DENIED);
    }
    return 'programme';
  }

  private async requireEndpoint(user: AuthUser, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<WebhookEndpoint> {
    const endpoint = await manager.getRepository(WebhookEndpoint).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!endpoint) throw AppError.notFound('Webhook endpoint', IntegrationsErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND);
    await this.requireOwner(user, { providerId: endpoint.providerId, organisationId: endpoint.organisationId }, manager);
    return endpoint;
  }
}

function toDto(endpoint: WebhookEndpoint): WebhookEndpointDto {
  return {
    id: endpoint.id,
    ownerKind: endpoint.ownerKind,
    providerId: endpoint.providerId,
    organisationId: endpoint.organisationId,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

function toDeliveryDto(delivery: WebhookDelivery): WebhookDeliveryDto {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    body: delivery.body,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    sentAt: delivery.sentAt?.toISOString() ?? null,
  };
}
