import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { CatalogueReference } from './catalogue-reference.js';
import { CatalogueViews } from './catalogue-views.js';
import { CatalogueErrorCode } from './catalogue.errors.js';
import type { CreateOfferingDto, OfferingDto, ProviderOfferingsQueryDto, UpdateOfferingDto } from './dto/offering.dto.js';
import { Offering, OfferingStatus } from './offering.entity.js';
import { ProviderAccess } from './provider-access.service.js';
import { Provider } from './provider.entity.js';
import { WebhookEvents } from '../integrations/webhook-events.js';

/** An offering's life cycle (draft → published → archived) and who may see it. */
@Injectable()
export class OfferingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProviderAccess,
    private readonly reference: CatalogueReference,
    private readonly views: CatalogueViews,
    private readonly webhooks: WebhookEvents,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, dto: CreateOfferingDto): Promise<OfferingDto> {
    await this.access.require(user, dto.providerId);
    await this.assertCodes(dto);
    const saved = await this.dataSource.getRepository(Offering).save({
      providerId: dto.providerId,
      title: dto.title,
      description: dto.description,
      themeCodes: [...new Set(dto.themeCodes)],
      format: dto.format,
      language: dto.language ?? 'sv',
      level: dto.level ?? null,
      targetGroups: [...new Set(dto.targetGroups)],
      accessibilityFeatures: [...new Set(dto.accessibilityFeatures ?? [])],
      hours: dto.hours === undefined ? null : String(dto.hours),
      priceSek: dto.priceSek,
      contactEmail: dto.contactEmail ?? null,
      status: 'draft',
    });
    return this.view(saved.id);
  }

  async update(user: AuthUser, id: string, dto: UpdateOfferingDto): Promise<OfferingDto> {
    await this.access.requireForOffering(user, id);
    await this.assertCodes(dto);
    await this.dataSource.transaction(async (manager) => {
      const offering = await this.lock(manager, id);
      if (offering.status === 'archived') throw this.archived();
      const changes: Partial<Offering> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.themeCodes !== undefined) changes.themeCodes = [...new Set(dto.themeCodes)];
      if (dto.format !== undefined) changes.format = dto.format;
      if (dto.language !== undefined) changes.language = dto.language;
      if (dto.level !== undefined) changes.level = dto.level;
      if (dto.targetGroups !== undefined) changes.targetGroups = [...new Set(dto.targetGroups)];
      if (dto.accessibilityFeatures !== undefined) changes.accessibilityFeatures = [...new Set(dto.accessibilityFeatures)];
      if (dto.hours !== undefined) changes.hours = String(dto.hours);
      if (dto.priceSek !== undefined) changes.priceSek = dto.priceSek;
      if (dto.contactEmail !== undefined) changes.contactEmail = dto.contactEmail;
      if (Object.keys(changes).length) await manager.getRepository(Offering).update({ id }, changes);
    });
    return this.view(id);
  }

  /** Published offerings are public; drafts and archived ones only for their staff and coordinators (others: 404). */
  async get(user: AuthUser | undefined, id: string): Promise<OfferingDto> {
    const offering = await this.dataSource.getRepository(Offering).findOneBy({ id });
    if (!offering) throw this.notFound();
    const manages = await this.manages(user, offering.providerId);
    if (offering.status !== 'published' && !manages) throw this.notFound();
    return this.view(id, manages);
  }

  /** Needs at least one scheduled session that has not started yet (409 otherwise). Publishing twice changes nothing. */
  async publish(user: AuthUser, id: string): Promise<OfferingDto> {
    await this.access.requireForOffering(user, id);
    await this.dataSource.transaction(async (manager) => {
      const offering = await this.lock(manager, id);
      if (offering.status === 'archived') throw this.archived();
      if (offering.status === 'published') return;
      const [{ n }] = (await manager.query(
        `SELECT count(*)::int AS n FROM sessions WHERE offering_id = $1 AND status = 'scheduled' AND starts_at > $2`,
        [id, this.clock.now()],
      )) as { n: number }[];
      if (n === 0) {
        throw AppError.conflict(
          CatalogueErrorCode.OFFERING_NO_UPCOMING_SESSION,
          'Add at least one upcoming session before publishing',
        );
      }
      await manager.getRepository(Offering).update({ id }, { status: 'published', publishedAt: this.clock.now() });
      await this.webhooks.record(manager, [
        { type: 'offering.published', providerId: offering.providerId, organisationId: null, data: { offeringId: id, providerId: offering.providerId } },
      ]);
    });
    return this.view(id);
  }

  /** Takes it out of search for good; its sessions stay (bookings keep working). Archiving twice changes nothing. */
  async archive(user: AuthUser, id: string): Promise<OfferingDto> {
    await this.access.requireForOffering(user, id);
    await this.dataSource.transaction(async (manager) => {
      const offering = await this.lock(manager, id);
      if (offering.status === 'archived') return;
      await manager.getRepository(Offering).update({ id }, { status: 'archived', archivedAt: this.clock.now() });
    });
    return this.view(id);
  }

  /** A provider's offerings: published ones for everyone; every status for its staff and coordinators. */
  async listForProvider(user: AuthUser | undefined, providerId: string, query: ProviderOfferingsQueryDto): Promise<Page<OfferingDto>> {
    if (!(await this.dataSource.getRepository(Provider).existsBy({ id: providerId }))) {
      throw AppError.notFound('Provider', CatalogueErrorCode.PROVIDER_NOT_FOUND);
    }
    const manages = await this.manages(user, providerId);
    const statuses: OfferingStatus[] = manages ? (query.status ? [query.status] : ['draft', 'published', 'archived']) : ['published'];
    if (!manages && query.status && query.status !== 'published') return { items: [], total: 0 };
    const rows = (await this.dataSource.query(
      `SELECT id, count(*) OVER ()::int AS total FROM offerings
        WHERE provider_id = $1 AND status = ANY($2) ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [providerId, statuses, query.limit, query.offset],
    )) as { id: string; total: number }[];
    const total = rows[0]?.total ?? (query.offset > 0 ? await this.count(providerId, statuses) : 0);
    return { items: await this.views.offerings(this.dataSource.manager, rows.map((r) => r.id), manages), total };
  }

  /** Whether the caller is the provider's staff or a coordinator. */
  async manages(user: AuthUser | undefined, providerId: string): Promise<boolean> {
    if (!user) return false;
    return this.access.actsFor(user, providerId);
  }

  private async count(providerId: string, statuses: OfferingStatus[]): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      'SELECT count(*)::int AS n FROM offerings WHERE provider_id = $1 AND status = ANY($2)',
      [providerId, statuses],
    )) as { n: number }[];
    return n;
  }

  private async view(id: string, showOnlineUrl = true): Promise<OfferingDto> {
    const [dto] = await this.views.offerings(this.dataSource.manager, [id], showOnlineUrl);
    return dto;
  }

  private async lock(manager: EntityManager, id: string): Promise<Offering> {
    const offering = await manager.getRepository(Offering).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!offering) throw this.notFound();
    return offering;
  }

  private async assertCodes(dto: UpdateOfferingDto): Promise<void> {
    await this.reference.assertKnown([
      { field: 'themeCodes', kind: 'theme', codes: dto.themeCodes },
      { field: 'format', kind: 'format', codes: dto.format === undefined ? [] : [dto.format] },
      { field: 'accessibilityFeatures', kind: 'accessibilityFeature', codes: dto.accessibilityFeatures },
    ]);
  }

  private notFound(): AppError {
    return AppError.notFound('Offering', CatalogueErrorCode.OFFERING_NOT_FOUND);
  }

  private archived(): AppError {
    return AppError.conflict(CatalogueErrorCode.OFFERING_ARCHIVED, 'This offering is archived and can no longer change');
  }
}
