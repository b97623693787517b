import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { User } from '../auth/user.entity.js';
import { toUserDto, UsersService } from '../auth/users.service.js';
import { Clock } from '../common/clock.js';
import { hashToken, newLinkToken } from '../common/crypto.js';
import { AppError, FieldError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { rows } from '../database/sql.js';
import { MailService } from '../mail/mail.service.js';
import { invitationMail } from '../mail/templates/invitation.template.js';
import type { AcceptInvitationDto, AcceptInvitationResponseDto, InvitationDto, InvitationPreviewDto } from './dto/invitation.dto.js';
import { Invitation, InvitationKind } from './invitation.entity.js';
import { InvitationErrorCode } from './invitations.errors.js';

function signInRequired(): AppError {
  return AppError.unauthenticated(
    'This address has a verified account: sign in, then accept with your access token',
    InvitationErrorCode.SIGN_IN_REQUIRED,
  );
}

/** What the module owning a kind (organisations, providers) tells the invitation mechanism. */
export interface InvitationKindHandler {
  /** The display name of the organisation or provider; null if it does not exist. */
  targetName(manager: EntityManager, targetId: string): Promise<string | null>;
  isMember(manager: EntityManager, targetId: string, userId: string): Promise<boolean>;
  /** Creates the membership; runs in the acceptance transaction. */
  addMember(manager: EntityManager, invitation: Invitation, userId: string): Promise<void>;
}

export interface InviteCommand {
  kind: InvitationKind;
  targetId: string;
  email: string;
  role: string;
  jobTitle?: string | null;
  locale?: 'sv' | 'en';
  invitedBy: AuthUser;
}

export function toInvitationDto(invitation: Invitation): InvitationDto {
  return {
    id: invitation.id,
    kind: invitation.kind,
    targetId: invitation.targetId,
    email: invitation.email,
    role: invitation.role,
    jobTitle: invitation.jobTitle,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

/**
 * Emailed single-use invitations: sending (a new one voids the open one for the same address),
 * previewing, accepting (creating the account if needed) and voiding.
 */
@Injectable()
export class InvitationsService {
  private readonly handlers = new Map<InvitationKind, InvitationKindHandler>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  registerKind(kind: InvitationKind, handler: InvitationKindHandler): void {
    this.handlers.set(kind, handler);
  }

  private handler(kind: InvitationKind): InvitationKindHandler {
    const handler = this.handlers.get(kind);
    if (!handler) throw new Error(`no invitation handler for ${kind}`);
    return handler;
  }

  /** Sends an invitation inside the caller's transaction (the caller has checked the right to invite). */
  async invite(manager: EntityManager, command: InviteCommand): Promise<InvitationDto> {
    const handler = this.handler(command.kind);
    const email = command.email.trim().toLowerCase();
    const targetName = await handler.targetName(manager, command.targetId);
    if (targetName === null) throw AppError.notFound(command.kind === 'organisation' ? 'Organisation' : 'Provider');
    const existing = await this.users.findActiveByEmail(email, manager);
    if (existing && (await handler.isMember(manager, command.targetId, existing.id))) {
      throw AppError.conflict(InvitationErrorCode.ALREADY_MEMBER, 'This person is already a member');
    }
    const now = this.clock.now();
    const voided = rows<{ id: string }>(
      await manager.query(
        `UPDATE invitations SET voided_at = $4
          WHERE kind = $1 AND target_id = $2 AND email = $3 AND accepted_at IS NULL AND voided_at IS NULL
          RETURNING id`,
        [command.kind, command.targetId, email, now],
      ),
    );
    for (const { id } of voided) {
      await this.audit.record(manager, {
        actorUserId: command.invitedBy.id,
        action: 'invitation.voided',
        ...this.auditTarget(command.kind, command.targetId),
        details: { invitationId: id, reason: 'reinvited' },
      });
    }
    const { token, hash } = newLinkToken();
    const locale = existing?.locale ?? command.locale ?? 'sv';
    const invitation = await manager.getRepository(Invitation).save({
      kind: command.kind,
      targetId: command.targetId,
      email,
      role: command.role,
      jobTitle: command.jobTitle ?? null,
      locale,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + this.config.invitationTtlDays * 24 * 3600_000),
      invitedByUserId: command.invitedBy.id,
      createdAt: now,
    });
    await this.mail.enqueue(manager, {
      dedupeKey: `invitation:${invitation.id}`,
      to: email,
      template: 'invitation',
      locale,
      content: invitationMail(locale, {
        kind: command.kind,
        targetName,
        role: command.role,
        inviterName: command.invitedBy.name,
        url: `${this.config.publicBaseUrl}/invite/${token}`,
        expiresAt: invitation.expiresAt,
      }),
    });
    await this.audit.record(manager, {
      actorUserId: command.invitedBy.id,
      action: 'invitation.sent',
      subjectUserId: existing?.id ?? null,
      ...this.auditTarget(command.kind, command.targetId),
      details: { invitationId: invitation.id, role: command.role },
    });
    return toInvitationDto(invitation);
  }

  async listOpen(kind: InvitationKind, targetId: string, page: { limit: number; offset: number }): Promise<Page<InvitationDto>> {
    const [rows, total] = await this.dataSource.getRepository(Invitation).findAndCount({
      where: { kind, targetId, acceptedAt: IsNull(), voidedAt: IsNull(), expiresAt: MoreThan(this.clock.now()) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: rows.map(toInvitationDto), total };
  }

  /** Voids an open invitation of this target; 404 when there is none. */
  async void(kind: InvitationKind, targetId: string, invitationId: string, actor: AuthUser): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const voided = rows<{ id: string }>(
        await manager.query(
          `UPDATE invitations SET voided_at = $4
            WHERE id = $1 AND kind = $2 AND target_id = $3 AND accepted_at IS NULL AND voided_at IS NULL
            RETURNING id`,
          [invitationId, kind, targetId, this.clock.now()],
        ),
      );
      if (voided.length === 0) throw AppError.notFound('Open invitation', InvitationErrorCode.NOT_FOUND);
      await this.audit.record(manager, {
        actorUserId: actor.id,
        action: 'invitation.voided',
        ...this.auditTarget(kind, targetId),
        details: { invitationId, reason: 'withdrawn' },
      });
    });
  }

  /** What the link is for, for the page and API clients; refuses links that no longer work. */
  async preview(token: string): Promise<InvitationPreviewDto> {
    const invitation = await this.usable(this.dataSource.manager, token, false);
    const targetName = (await this.handler(invitation.kind).targetName(this.dataSource.manager, invitation.targetId)) ?? '';
    const account = await this.users.findActiveByEmail(invitation.email);
    return {
      kind: invitation.kind,
      targetName,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      accountExists: account?.emailVerifiedAt != null,
    };
  }

  /** Locale of the invitation behind a token, for the page; 'sv' when unknown. */
  async localeOf(token: string): Promise<'sv' | 'en'> {
    const row = await this.dataSource.getRepository(Invitation).findOneBy({ tokenHash: hashToken(token) });
    return row?.locale ?? 'sv';
  }

  /**
   * Accepts once; never issues an access token. The link proves the address, so:
   * - a signed-in caller must be the invited address (their address then counts as verified);
   * - without a caller, an address with no account gets one (name and password required);
   * - an unverified account (anyone can register any address) is taken over by the link holder:
   *   name and password required, the old password and every token issued before stop working;
   * - a verified account must sign in and accept with its token (401 INVITATION_SIGN_IN_REQUIRED).
   * The decision is taken again under the account's row lock, so concurrent accepts and
   * registrations for one address end in exactly one owner.
   */
  async accept(token: string, dto: AcceptInvitationDto, caller?: AuthUser): Promise<AcceptInvitationResponseDto> {
    const preview = await this.usable(this.dataSource.manager, token, false);
    let passwordHash: string | undefined;
    if (caller) {
      if (caller.email !== preview.email) {
        throw AppError.forbidden('This invitation was sent to another address', InvitationErrorCode.EMAIL_MISMATCH);
      }
    } else {
      const account = await this.users.findActiveByEmail(preview.email);
      if (account?.emailVerifiedAt) throw signInRequired();
      const missing: FieldError[] = [];
      if (!dto.name) missing.push({ field: 'name', messages: ['is required for a new account'] });
      if (!dto.password) missing.push({ field: 'password', messages: ['is required for a new account'] });
      if (missing.length) {
        throw new AppError(400, 'VALIDATION_FAILED', `Invalid input: ${missing.map((m) => m.field).join(', ')} required for a new account`, missing);
      }
      passwordHash = await this.users.hashPassword(dto.password!);
    }

    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.usable(manager, token, true);
      const handler = this.handler(invitation.kind);
      const now = this.clock.now();
      let user: User | null = null;
      let claimed = false;
      if (caller) {
        user = await this.users.lockActiveByEmail(manager, invitation.email);
        if (!user || user.id !== caller.id) {
          throw AppError.forbidden('This invitation was sent to another address', InvitationErrorCode.EMAIL_MISMATCH);
        }
        await this.users.markVerified(manager, user.id, now);
      } else {
        const owner = { name: dto.name!, passwordHash: passwordHash!, locale: dto.locale ?? invitation.locale, at: now };
        let account = await this.users.lockActiveByEmail(manager, invitation.email);
        if (!account) {
          user = await this.users.createVerified(manager, { email: invitation.email, ...owner });
          // Null: registered meanwhile (the INSERT waited for that transaction); decide on that account.
          if (!user) account = await this.users.lockActiveByEmail(manager, invitation.email);
        }
        if (!user) {
          if (!account) throw new Error('the account of an invited address vanished');
          if (account.emailVerifiedAt) throw signInRequired();
          user = await this.users.takeOverUnverified(manager, account.id, owner);
          claimed = true;
        }
      }
      if (await handler.isMember(manager, invitation.targetId, user.id)) {
        throw AppError.conflict(InvitationErrorCode.ALREADY_MEMBER, 'You are already a member');
      }
      await handler.addMember(manager, invitation, user.id);
      await manager.update(Invitation, { id: invitation.id }, { acceptedAt: now, acceptedByUserId: user.id });
      await this.audit.record(manager, {
        actorUserId: user.id,
        action: 'invitation.accepted',
        subjectUserId: user.id,
        ...this.auditTarget(invitation.kind, invitation.targetId),
        details: { invitationId: invitation.id, role: invitation.role, ...(claimed ? { unverifiedAccountClaimed: true } : {}) },
      });
      const targetName = (await handler.targetName(manager, invitation.targetId)) ?? '';
      const fresh = (await this.users.findActiveById(user.id, manager))!;
      return {
        user: toUserDto(fresh),
        membership: { kind: invitation.kind, targetId: invitation.targetId, targetName, role: invitation.role },
      };
    });
  }

  /** The invitation behind a token if it can still be used; `lock` takes a row lock for acceptance. */
  private async usable(manager: EntityManager, token: string, lock: boolean): Promise<Invitation> {
    const qb = manager
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .where('i.token_hash = :hash', { hash: hashToken(token) });
    if (lock) qb.setLock('pessimistic_write');
    const invitation = await qb.getOne();
    if (!invitation) throw AppError.notFound('Invitation', InvitationErrorCode.NOT_FOUND);
    if (invitation.acceptedAt) throw AppError.conflict(InvitationErrorCode.ALREADY_USED, 'This invitation has already been accepted');
    if (invitation.voidedAt) throw AppError.conflict(InvitationErrorCode.VOIDED, 'This invitation has been withdrawn or replaced by a newer one');
    if (invitation.expiresAt <= this.clock.now()) throw AppError.conflict(InvitationErrorCode.EXPIRED, 'This invitation has expired');
    return invitation;
  }

  private auditTarget(kind: InvitationKind, targetId: string) {
    return kind === 'organisation' ? { organisationId: targetId } : { providerId: targetId };
  }
}
