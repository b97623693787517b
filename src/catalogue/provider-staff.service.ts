import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { MembershipDirectory, PersonalDataRegistry } from '../common/personal-data.js';
import type { InvitationDto } from '../invitations/dto/invitation.dto.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { CatalogueErrorCode } from './catalogue.errors.js';
import type { InviteStaffDto, StaffMemberDto } from './dto/provider.dto.js';
import { ProviderAccess } from './provider-access.service.js';
import { Provider, ProviderStaff } from './provider.entity.js';

/** A provider's staff: invited by email through the one invitation mechanism, listed and removed. */
@Injectable()
export class ProviderStaffService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProviderAccess,
    private readonly invitations: InvitationsService,
    private readonly audit: AuditService,
    private readonly memberships: MembershipDirectory,
    private readonly personalData: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    this.invitations.registerKind('provider', {
      targetName: async (manager, id) => (await manager.getRepository(Provider).findOneBy({ id }))?.name ?? null,
      isMember: (manager, id, userId) => manager.getRepository(ProviderStaff).existsBy({ providerId: id, userId }),
      addMember: async (manager, invitation, userId) => {
        await manager.getRepository(ProviderStaff).insert({ providerId: invitation.targetId, userId });
      },
    });
    this.memberships.register(async (manager, userId) => {
      const rows = (await manager.query(
        `SELECT p.id, p.name FROM provider_staff s JOIN providers p ON p.id = s.provider_id
          WHERE s.user_id = $1 ORDER BY p.name`,
        [userId],
      )) as { id: string; name: string }[];
      return rows.map((row) => ({ kind: 'provider' as const, id: row.id, name: row.name, role: 'provider_staff', jobTitle: null }));
    });
    this.personalData.register({
      key: 'providerStaff',
      export: async (manager, userId) =>
        (
          (await manager.query(
            `SELECT s.provider_id, p.name, s.created_at FROM provider_staff s JOIN providers p ON p.id = s.provider_id
              WHERE s.user_id = $1 ORDER BY s.created_at`,
            [userId],
          )) as { provider_id: string; name: string; created_at: Date }[]
        ).map((row) => ({ providerId: row.provider_id, providerName: row.name, since: row.created_at.toISOString() })),
      erase: async (manager, userId) => {
        await manager.query('DELETE FROM provider_staff WHERE user_id = $1', [userId]);
      },
    });
  }

  async invite(user: AuthUser, providerId: string, dto: InviteStaffDto): Promise<InvitationDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.require(user, providerId, manager);
      // invitations.invite records 'invitation.sent' in the audit log with the providerId
      return this.invitations.invite(manager, {
        kind: 'provider',
        targetId: providerId,
        email: dto.email,
        role: 'provider_staff',
        locale: dto.locale,
        invitedBy: user,
      });
    });
  }

  /** Open (unaccepted, unexpired) staff invitations. */
  async listInvitations(user: AuthUser, providerId: string, page: { limit: number; offset: number }): Promise<Page<InvitationDto>> {
    await this.access.require(user, providerId);
    return this.invitations.listOpen('provider', providerId, page);
  }

  async voidInvitation(user: AuthUser, providerId: string, invitationId: string): Promise<void> {
    await this.access.require(user, providerId);
    await this.invitations.void('provider', providerId, invitationId, user);
  }

  async list(user: AuthUser, providerId: string, page: { limit: number; offset: number }): Promise<Page<StaffMemberDto>> {
    await this.access.require(user, providerId);
    const [count] = (await this.dataSource.query('SELECT count(*)::int AS n FROM provider_staff WHERE provider_id = $1', [providerId])) as { n: number }[];
    const rows = (await this.dataSource.query(
      `SELECT s.user_id, u.name, u.email, s.created_at FROM provider_staff s JOIN users u ON u.id = s.user_id
        WHERE s.provider_id = $1 ORDER BY u.name, u.email, s.user_id LIMIT $2 OFFSET $3`,
      [providerId, page.limit, page.offset],
    )) as { user_id: string; name: string | null; email: string; created_at: Date }[];
    return {
      items: rows.map((row) => ({ userId: row.user_id, name: row.name, email: row.email, staffSince: row.created_at.toISOString() })),
      total: count.n,
    };
  }

  async remove(user: AuthUser, providerId: string, staffUserId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.require(user, providerId, manager);
      const result = await manager.getRepository(ProviderStaff).delete({ providerId, userId: staffUserId });
      if (!result.affected) throw AppError.notFound('Staff member', CatalogueErrorCode.PROVIDER_STAFF_NOT_FOUND);
      await this.audit.record(manager, {
        actorUserId: user.id,
        action: 'provider_staff.removed',
        subjectUserId: staffUserId,
        providerId,
        details: { self: user.id === staffUserId },
      });
    });
  }
}
