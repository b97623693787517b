import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import type { InvitationDto } from '../invitations/dto/invitation.dto.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import type { InviteMemberDto, MemberDto, UpdateMemberDto } from './dto/member.dto.js';
import { OrganisationAccess } from './organisation-access.service.js';
import { OrganisationMember, OrgRole } from './organisation-member.entity.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationErrorCode } from './organisations.errors.js';

/** Members of an organisation: listing, roles, removal, and invitations to join. */
@Injectable()
export class MembersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: OrganisationAccess,
    private readonly invitations: InvitationsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.invitations.registerKind('organisation', {
      targetName: async (manager, id) => (await manager.getRepository(Organisation).findOneBy({ id }))?.name ?? null,
      isMember: (manager, id, userId) => manager.getRepository(OrganisationMember).existsBy({ organisationId: id, userId }),
      addMember: async (manager, invitation, userId) => {
        await manager.getRepository(OrganisationMember).insert({
          organisationId: invitation.targetId,
          userId,
          role: invitation.role as OrgRole,
          jobTitle: invitation.jobTitle,
        });
      },
    });
  }

  async list(user: AuthUser, organisationId: string, page: { limit: number; offset: number }): Promise<Page<MemberDto>> {
    await this.access.require(user, organisationId, 'admin');
    const [count] = (await this.dataSource.query('SELECT count(*)::int AS n FROM organisation_members WHERE organisation_id = $1', [
      organisationId,
    ])) as { n: number }[];
    const rows = await this.memberRows('m.organisation_id = $1 ORDER BY m.role, u.name, u.email, m.user_id LIMIT $2 OFFSET $3', [
      organisationId,
      page.limit,
      page.offset,
    ]);
    return { items: rows, total: count.n };
  }

  private async memberRows(where: string, params: unknown[]): Promise<MemberDto[]> {
    const rows = (await this.dataSource.query(
      `SELECT m.user_id, u.name, u.email, m.role, m.job_title, m.created_at
         FROM organisation_members m JOIN users u ON u.id = m.user_id
        WHERE ${where}`,
      params,
    )) as { user_id: string; name: string | null; email: string; role: OrgRole; job_title: string | null; created_at: Date }[];
    return rows.map((row) => ({
      userId: row.user_id,
      name: row.name,
      email: row.email,
      role: row.role,
      jobTitle: row.job_title,
      memberSince: row.created_at.toISOString(),
    }));
  }

  async update(user: AuthUser, organisationId: string, memberUserId: string, dto: UpdateMemberDto): Promise<MemberDto> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockOrganisation(manager, user, organisationId);
      const member = await this.findMember(manager, organisationId, memberUserId);
      if (dto.role && dto.role !== member.role) {
        if (member.role === 'org_admin') await this.assertAnotherAdmin(manager, organisationId, memberUserId);
        await this.audit.record(manager, {
          actorUserId: user.id,
          action: 'member.role_changed',
          subjectUserId: memberUserId,
          organisationId,
          details: { from: member.role, to: dto.role },
        });
      }
      await manager.getRepository(OrganisationMember).update(
        { id: member.id },
        { ...(dto.role ? { role: dto.role } : {}), ...(dto.jobTitle !== undefined ? { jobTitle: dto.jobTitle || null } : {}) },
      );
    });
    const [updated] = await this.memberRows('m.organisation_id = $1 AND m.user_id = $2', [organisationId, memberUserId]);
    return updated;
  }

  /** An admin removes a member, or a member leaves; the last admin can do neither. */
  async remove(user: AuthUser, organisationId: string, memberUserId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockOrganisation(manager, user, organisationId, user.id === memberUserId ? 'member' : 'admin');
      const member = await this.findMember(manager, organisationId, memberUserId);
      if (member.role === 'org_admin') await this.assertAnotherAdmin(manager, organisationId, memberUserId);
      await manager.getRepository(OrganisationMember).delete({ id: member.id });
      await this.audit.record(manager, {
        actorUserId: user.id,
        action: 'member.removed',
        subjectUserId: memberUserId,
        organisationId,
        details: { role: member.role, self: user.id === memberUserId },
      });
    });
  }

  async invite(user: AuthUser, organisationId: string, dto: InviteMemberDto): Promise<InvitationDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.require(user, organisationId, 'admin', manager);
      return this.invitations.invite(manager, {
        kind: 'organisation',
        targetId: organisationId,
        email: dto.email,
        role: dto.role,
        jobTitle: dto.jobTitle,
        locale: dto.locale,
        invitedBy: user,
      });
    });
  }

  async listInvitations(user: AuthUser, organisationId: string, page: { limit: number; offset: number }): Promise<Page<InvitationDto>> {
    await this.access.require(user, organisationId, 'admin');
    return this.invitations.listOpen('organisation', organisationId, page);
  }

  async voidInvitation(user: AuthUser, organisationId: string, invitationId: string): Promise<void> {
    await this.access.require(user, organisationId, 'admin');
    await this.invitations.void('organisation', organisationId, invitationId, user);
  }

  /** Serialises membership changes per organisation, so that two admins cannot demote each other at once. */
  private async lockOrganisation(
    manager: EntityManager,
    user: AuthUser,
    organisationId: string,
    level: 'admin' | 'member' = 'admin',
  ): Promise<void> {
    await this.access.require(user, organisationId, level, manager);
    await manager.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [organisationId]);
  }

  private async findMember(manager: EntityManager, organisationId: string, userId: string): Promise<OrganisationMember> {
    const member = await manager.getRepository(OrganisationMember).findOneBy({ organisationId, userId });
    if (!member) throw AppError.notFound('Member', OrganisationErrorCode.MEMBER_NOT_FOUND);
    return member;
  }

  private async assertAnotherAdmin(manager: EntityManager, organisationId: string, exceptUserId: string): Promise<void> {
    const [{ n }] = (await manager.query(
      `SELECT count(*)::int AS n FROM organisation_members WHERE organisation_id = $1 AND role = 'org_admin' AND user_id <> $2`,
      [organisationId, exceptUserId],
    )) as { n: number }[];
    if (n === 0) {
      throw AppError.conflict(OrganisationErrorCode.LAST_ADMIN, 'An organisation must keep at least one admin: make someone else admin first');
    }
  }
}
