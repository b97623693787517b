import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page, PaginationQueryDto } from '../common/pagination.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { queryPrepared } from '../database/prepared-query.js';
import { rows } from '../database/sql.js';
import { MailService } from '../mail/mail.service.js';
import { needsRoundInvitationMail } from '../mail/templates/needs-round.template.js';
import type { CreateRoundDto, RoundDto, RoundInviteDto, UpdateRoundDto } from './dto/round.dto.js';
import type { InviteScope } from './needs.codes.js';
import { NeedsErrorCode } from './needs.errors.js';
import { NeedsAccess } from './needs-access.service.js';
import { NeedsOrganisationsRepository, type RoundInvitee } from './needs-organisations.repository.js';
import { NeedsRound, NeedsRoundOrganisation } from './needs-round.entity.js';

/** The link in invitation and reminder emails: the front end's page for taking part. */
export function roundLink(config: AppConfig, roundId: string, organisationId: string): string {
  return `${config.publicBaseUrl}/inventering/${roundId}?organisation=${organisationId}`;
}

/** Rounds: create, change, open (resolves invitations and emails admins), close, list, read. */
/** A round's invitation before the coordinator chooses one: no organisation. */
const NOBODY = { scope: 'organisations' as const, values: [] as string[] };

@Injectable()
export class NeedsRoundsService {
  private readonly logger = new Logger(NeedsRoundsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: NeedsAccess,
    private readonly organisations: NeedsOrganisationsRepository,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, dto: CreateRoundDto): Promise<RoundDto> {
    this.assertDates(dto.opensAt, dto.closesAt);
    // Without `invite`, nobody is invited until the coordinator chooses (an empty list of organisations).
    const invite = dto.invite ? await this.parseInvite(dto.invite) : NOBODY;
    const round = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(NeedsRound).save({
        title: dto.title,
        description: dto.description ?? null,
        opensAt: dto.opensAt,
        closesAt: dto.closesAt,
        status: 'draft',
        inviteScope: invite.scope,
        inviteValues: invite.values,
        createdByUserId: user.id,
      });
      await this.audit.record(manager, { actorUserId: user.id, action: 'needs_round.created', details: { roundId: saved.id } });
      return saved;
    });
    return this.get(user, round.id);
  }

  async update(user: AuthUser, id: string, dto: UpdateRoundDto): Promise<RoundDto> {
    await this.dataSource.transaction(async (manager) => {
      const round = await this.access.round(id, manager, 'pessimistic_write');
      if (round.status === 'closed') {
        throw AppError.conflict(NeedsErrorCode.ROUND_WRONG_STATE, 'A closed round cannot change', { status: round.status });
      }
      if (dto.invite && round.status !== 'draft') {
        throw AppError.conflict(NeedsErrorCode.INVITE_LOCKED, 'Invitations were resolved when the round opened; they cannot change', {
          field: 'invite',
        });
      }
      this.assertDates(dto.opensAt ?? round.opensAt, dto.closesAt ?? round.closesAt);
      const invite = dto.invite ? await this.parseInvite(dto.invite) : undefined;
      await manager.getRepository(NeedsRound).update(
        { id },
        {
          ...(dto.title !== undefined ? { title: dto.title } : {}),
          ...(dto.description !== undefined ? { description: dto.description || null } : {}),
          ...(dto.opensAt ? { opensAt: dto.opensAt } : {}),
          ...(dto.closesAt ? { closesAt: dto.closesAt } : {}),
          ...(invite ? { inviteScope: invite.scope, inviteValues: invite.values } : {}),
        },
      );
      await this.audit.record(manager, { actorUserId: user.id, action: 'needs_round.updated', details: { roundId: id, fields: Object.keys(dto) } });
    });
    return this.get(user, id);
  }

  /** draft → open: resolves who is invited, and emails each invited organisation's admins (once each). */
  async open(user: AuthUser, id: string): Promise<RoundDto> {
    const invited = await this.dataSource.transaction(async (manager) => {
      const round = await this.access.round(id, manager, 'pessimistic_write');
      if (round.status !== 'draft') {
        throw AppError.conflict(NeedsErrorCode.ROUND_WRONG_STATE, `Only a draft round can be opened; this one is ${round.status}`, {
          status: round.status,
        });
      }
      const now = this.clock.now();
      if (round.closesAt <= now) {
        throw AppError.conflict(NeedsErrorCode.ROUND_CLOSES_IN_PAST, 'The round\'s closing time has passed; move closesAt first', {
          field: 'closesAt',
        });
      }
      if (round.inviteScope === NOBODY.scope && round.inviteValues.length === 0) {
        throw AppError.conflict(NeedsErrorCode.NOBODY_INVITED, 'Nobody is invited yet: choose who with PATCH (invite) before opening', {
          field: 'invite',
        });
      }
      const count = await this.organisations.invite(manager, id, round.inviteScope, round.inviteValues, now);
      await manager.getRepository(NeedsRound).update({ id }, { status: 'open', openedAt: now });
      await this.sendInvitations(manager, round, now);
      await this.audit.record(manager, { actorUserId: user.id, action: 'needs_round.opened', details: { roundId: id, invited: count } });
      return count;
    });
    this.logger.log(`needs round opened with ${invited} invited organisation(s)`);
    return this.get(user, id);
  }

  async close(user: AuthUser, id: string): Promise<RoundDto> {
    await this.dataSource.transaction(async (manager) => {
      const round = await this.access.round(id, manager, 'pessimistic_write');
      if (round.status !== 'open') {
        throw AppError.conflict(NeedsErrorCode.ROUND_WRONG_STATE, `Only an open round can be closed; this one is ${round.status}`, {
          status: round.status,
        });
      }
      await manager.getRepository(NeedsRound).update({ id }, { status: 'closed', closedAt: this.clock.now() });
      await this.audit.record(manager, { actorUserId: user.id, action: 'needs_round.closed', details: { roundId: id } });
    });
    return this.get(user, id);
  }

  /** Coordinators: every round. Members: rounds their organisations are invited to. Provider staff: opened rounds. */
  async list(user: AuthUser, query: PaginationQueryDto): Promise<Page<RoundDto>> {
    const qb = this.dataSource.getRepository(NeedsRound).createQueryBuilder('r');
    if (user.globalRole !== 'coordinator') {
      const providerStaff = await this.access.isProviderStaff(user.id);
      qb.where(
        `r.id IN (SELECT i.round_id FROM needs_round_organisations i
                    JOIN organisation_members m ON m.organisation_id = i.organisation_id WHERE m.user_id = :userId)` +
          (providerStaff ? ` OR r.status <> 'draft'` : ''),
        { userId: user.id },
      );
    }
    const [rows, total] = await qb.orderBy('r.opens_at', 'DESC').addOrderBy('r.id').take(query.limit).skip(query.offset).getManyAndCount();
    return { items: await this.toDtos(rows), total };
  }

  /** Rounds taking statements now from an organisation the person belongs to, closing first (one statement; the start page). */
  async answerableBy(user: AuthUser, now: Date, limit: number): Promise<Array<{ id: string; title: string; closesAt: string }>> {
    const found = rows<{ id: string; title: string; closes_at: Date }>(
      await queryPrepared(
        this.dataSource,
        `SELECT r.id, r.title, r.closes_at FROM needs_rounds r
          WHERE r.status = 'open' AND r.opens_at <= $2 AND r.closes_at > $2
            AND r.id IN (SELECT i.round_id FROM needs_round_organisations i
                           JOIN organisation_members m ON m.organisation_id = i.organisation_id WHERE m.user_id = $1)
          ORDER BY r.closes_at, r.id LIMIT $3`,
        [user.id, now, limit],
      ),
    );
    return found.map((r) => ({ id: r.id, title: r.title, closesAt: r.closes_at.toISOString() }));
  }

  async get(user: AuthUser, id: string): Promise<RoundDto> {
    const round = await this.access.requireReader(user, id);
    return (await this.toDtos([round]))[0];
  }

  /**
   * Who the round invites (coordinators; the route or page checks the role): once opened, the
   * invited organisations with whether each has answered; while a draft invites chosen
   * organisations, those (a draft's county, sector or "all" scope is only resolved when it opens).
   */
  async invitees(roundId: string): Promise<RoundInvitee[]> {
    const round = await this.access.round(roundId);
    if (round.status !== 'draft') return this.organisations.invitees(roundId);
    return round.inviteScope === 'organisations' ? this.organisations.organisations(round.inviteValues) : [];
  }

  private async sendInvitations(manager: EntityManager, round: NeedsRound, now: Date): Promise<void> {
    const admins = await this.organisations.adminsOf(manager, round.id);
    // Before opensAt there is nothing to answer yet: the emails wait until the round opens for answers.
    const notBefore = round.opensAt > now ? round.opensAt : now;
    for (const admin of admins) {
      await this.mail.enqueue(manager, {
        dedupeKey: `needs-round-invitation:${round.id}:${admin.organisationId}:${admin.userId}`,
        to: admin.email,
        template: 'needs-round-invitation',
        locale: admin.locale,
        notBefore,
        content: needsRoundInvitationMail(admin.locale, {
          roundTitle: round.title,
          organisationName: admin.organisationName,
          closesAt: round.closesAt,
          url: roundLink(this.config, round.id, admin.organisationId),
        }),
      });
    }
  }

  private async toDtos(rounds: NeedsRound[]): Promise<RoundDto[]> {
    if (rounds.length === 0) return [];
    const counts = (await this.dataSource
      .getRepository(NeedsRoundOrganisation)
      .createQueryBuilder('i')
      .select('i.round_id', 'round_id')
      .addSelect('count(*)::int', 'n')
      .where('i.round_id IN (:...ids)', { ids: rounds.map((r) => r.id) })
      .groupBy('i.round_id')
      .getRawMany()) as { round_id: string; n: number }[];
    const invited = new Map(counts.map((c) => [c.round_id, c.n]));
    const now = this.clock.now();
    return rounds.map((round) => ({
      id: round.id,
      title: round.title,
      description: round.description,
      opensAt: round.opensAt.toISOString(),
      closesAt: round.closesAt.toISOString(),
      status: round.status,
      acceptingStatements: NeedsAccess.accepting(round, now),
      invite: { scope: round.inviteScope, values: round.inviteValues },
      invitedOrganisations: invited.get(round.id) ?? 0,
      openedAt: round.openedAt?.toISOString() ?? null,
      closedAt: round.closedAt?.toISOString() ?? null,
      createdAt: round.createdAt.toISOString(),
    }));
  }

  private assertDates(opensAt: Date, closesAt: Date): void {
    if (closesAt <= opensAt) throw AppError.validation('closesAt', 'must be after opensAt');
  }

  private async parseInvite(invite: RoundInviteDto): Promise<{ scope: InviteScope; values: string[] }> {
    const given = (['all', 'counties', 'sectors', 'organisationIds'] as const).filter((key) => invite[key] !== undefined);
    if (given.length !== 1) {
      throw AppError.validation('invite', 'give exactly one of all, counties, sectors, organisationIds');
    }
    if (invite.all) return { scope: 'all', values: [] };
    if (invite.counties) return { scope: 'counties', values: [...new Set(invite.counties)] };
    if (invite.sectors) return { scope: 'sectors', values: [...new Set(invite.sectors)] };
    const ids = [...new Set(invite.organisationIds!.map((id) => id.toLowerCase()))];
    const existing = await this.organisations.existingIds(ids);
    const unknown = ids.filter((id) => !existing.has(id));
    if (unknown.length) throw AppError.validation('invite.organisationIds', `unknown organisations: ${unknown.join(', ')}`);
    return { scope: 'organisations', values: ids };
  }
}
