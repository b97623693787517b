import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { CatalogueReference, invalidFields } from './catalogue-reference.js';
import { CatalogueViews } from './catalogue-views.js';
import { CatalogueErrorCode } from './catalogue.errors.js';
import type { CancelSessionDto, CreateSessionDto, SessionDto, UpdateSessionDto } from './dto/session.dto.js';
import { Offering } from './offering.entity.js';
import { OfferingsService } from './offerings.service.js';
import { ProviderAccess } from './provider-access.service.js';
import { SessionEvents } from './session-events.js';
import { sessionProblems, type SessionShape } from './session-rules.js';
import { Session } from './session.entity.js';

const date = (value: string | null | undefined): Date | null | undefined =>
  value === undefined ? undefined : value === null ? null : new Date(value);

/**
 * Sessions of an offering: created and changed by its provider's staff, cancelled as a whole.
 * `seats_taken` belongs to bookings: a capacity change is checked against it under a row lock.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProviderAccess,
    private readonly offerings: OfferingsService,
    private readonly reference: CatalogueReference,
    private readonly views: CatalogueViews,
    private readonly events: SessionEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, offeringId: string, dto: CreateSessionDto): Promise<SessionDto> {
    await this.access.requireForOffering(user, offeringId);
    const startsAt = new Date(dto.startsAt);
    const shape: SessionShape = {
      startsAt,
      endsAt: new Date(dto.endsAt),
      municipalityCode: dto.municipalityCode ?? null,
      online: dto.online ?? false,
      bookingOpensAt: date(dto.bookingOpensAt) ?? null,
      bookingClosesAt: date(dto.bookingClosesAt) ?? startsAt,
      cancellationDeadline: date(dto.cancellationDeadline) ?? null,
    };
    await this.validate(shape, true);
    const id = await this.dataSource.transaction(async (manager) => {
      // write lock: the new session's trigger updates the offering's `places` in this transaction
      const offering = await manager.getRepository(Offering).findOne({ where: { id: offeringId }, lock: { mode: 'pessimistic_write' } });
      if (offering?.status === 'archived') throw this.offeringArchived();
      const saved = await manager.getRepository(Session).save({
        offeringId,
        ...shape,
        venue: dto.venue ?? null,
        onlineUrl: dto.onlineUrl ?? null,
        capacity: dto.capacity,
        requiresApproval: dto.requiresApproval ?? false,
        waitlistMode: dto.waitlistMode ?? 'offer',
      });
      return saved.id;
    });
    return (await this.views.session(this.dataSource.manager, id, true))!;
  }

  /**
   * Applies a change, validated as a whole. Capacity below the seats already taken is 409; a raise
   * tells bookings (in this transaction) so that the waitlist moves up.
   */
  async update(user: AuthUser, id: string, dto: UpdateSessionDto): Promise<SessionDto> {
    await this.access.requireForSession(user, id);
    await this.dataSource.transaction(async (manager) => {
      const session = await this.lock(manager, id);
      const offering = await manager.getRepository(Offering).findOneByOrFail({ id: session.offeringId });
      if (offering.status === 'archived') throw this.offeringArchived();
      if (session.status === 'cancelled') throw this.cancelled();
      const startsAt = date(dto.startsAt) ?? session.startsAt;
      const shape: SessionShape = {
        startsAt,
        endsAt: date(dto.endsAt) ?? session.endsAt,
        municipalityCode: dto.municipalityCode !== undefined ? dto.municipalityCode : session.municipalityCode,
        online: dto.online ?? session.online,
        bookingOpensAt: dto.bookingOpensAt !== undefined ? date(dto.bookingOpensAt)! : session.bookingOpensAt,
        // moving the start moves a closing time that followed it
        bookingClosesAt:
          date(dto.bookingClosesAt) ?? (session.bookingClosesAt.getTime() === session.startsAt.getTime() ? startsAt : session.bookingClosesAt),
        cancellationDeadline: dto.cancellationDeadline !== undefined ? date(dto.cancellationDeadline)! : session.cancellationDeadline,
      };
      await this.validate(shape, startsAt.getTime() !== session.startsAt.getTime());
      const capacity = dto.capacity ?? session.capacity;
      if (capacity < session.seatsTaken) {
        throw AppError.conflict(
          CatalogueErrorCode.SESSION_CAPACITY_BELOW_TAKEN,
          `Capacity cannot go below the ${session.seatsTaken} seats already taken`,
          { field: 'capacity', seatsTaken: session.seatsTaken },
        );
      }
      await manager.getRepository(Session).update(
        { id },
        {
          ...shape,
          capacity,
          ...(dto.venue !== undefined ? { venue: dto.venue } : {}),
          ...(dto.onlineUrl !== undefined ? { onlineUrl: dto.onlineUrl } : {}),
          ...(dto.requiresApproval !== undefined ? { requiresApproval: dto.requiresApproval } : {}),
          ...(dto.waitlistMode !== undefined ? { waitlistMode: dto.waitlistMode } : {}),
        },
      );
      if (capacity > session.capacity) await this.events.emit(manager, 'capacityRaised', id);
    });
    return (await this.views.session(this.dataSource.manager, id, true))!;
  }

  /** Cancels the whole session; bookings cancels its bookings and tells people in the same transaction. */
  async cancel(user: AuthUser, id: string, dto: CancelSessionDto): Promise<SessionDto> {
    const provider = await this.access.requireForSession(user, id);
    await this.dataSource.transaction(async (manager) => {
      const session = await this.lock(manager, id);
      if (session.status === 'cancelled') throw this.cancelled();
      await manager
        .getRepository(Session)
        .update({ id }, { status: 'cancelled', cancelledAt: this.clock.now(), cancellationReason: dto.reason });
      await this.audit.record(manager, {
        actorUserId: user.id,
        action: 'session.cancelled',
        providerId: provider.id,
        details: { sessionId: id, seatsTaken: session.seatsTaken },
      });
      await this.events.emit(manager, 'cancelled', id);
    });
    return (await this.views.session(this.dataSource.manager, id, true))!;
  }

  /** Sessions of published offerings are public; others only for the provider's staff and coordinators (404). */
  async get(user: AuthUser | undefined, id: string): Promise<SessionDto> {
    const [row] = (await this.dataSource.query(
      'SELECT o.provider_id, o.status FROM sessions s JOIN offerings o ON o.id = s.offering_id WHERE s.id = $1',
      [id],
    )) as { provider_id: string; status: string }[];
    if (!row) throw this.notFound();
    const manages = await this.offerings.manages(user, row.provider_id);
    if (row.status !== 'published' && !manages) throw this.notFound();
    return (await this.views.session(this.dataSource.manager, id, manages))!;
  }

  private async validate(shape: SessionShape, startSet: boolean): Promise<void> {
    const problems = sessionProblems(shape, this.clock.now(), startSet);
    if (problems.length) throw invalidFields(problems);
    await this.reference.assertKnown([{ field: 'municipalityCode', kind: 'municipality', codes: [shape.municipalityCode] }]);
  }

  private async lock(manager: EntityManager, id: string): Promise<Session> {
    const session = await manager.getRepository(Session).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!session) throw this.notFound();
    return session;
  }

  private notFound(): AppError {
    return AppError.notFound('Session', CatalogueErrorCode.SESSION_NOT_FOUND);
  }

  private cancelled(): AppError {
    return AppError.conflict(CatalogueErrorCode.SESSION_CANCELLED, 'This session is cancelled');
  }

  private offeringArchived(): AppError {
    return AppError.conflict(CatalogueErrorCode.OFFERING_ARCHIVED, 'This offering is archived and can no longer change');
  }
}
