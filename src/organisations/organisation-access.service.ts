import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import { OrganisationMember, OrgRole } from './organisation-member.entity.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationErrorCode } from './organisations.errors.js';

export type OrgAccessLevel = 'member' | 'admin';

/**
 * The one place that decides who may act on an organisation (immich's requireAccess idea):
 * coordinators on all; org admins on their own; employees read their own. Services call it
 * before every organisation-scoped action, so no route can forget it. Unknown ids are 404;
 * existing organisations the caller has no part in are 403.
 */
@Injectable()
export class OrganisationAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async require(
    user: AuthUser,
    organisationId: string,
    level: OrgAccessLevel,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Organisation> {
    const organisation = await manager.getRepository(Organisation).findOneBy({ id: organisationId });
    if (!organisation) throw AppError.notFound('Organisation', OrganisationErrorCode.NOT_FOUND);
    if (user.globalRole === 'coordinator') return organisation;
    const role = await this.roleOf(user.id, organisationId, manager);
    if (!role || (level === 'admin' && role !== 'org_admin')) {
      throw AppError.forbidden(
        level === 'admin' ? 'Only the organisation\'s admins may do this' : 'You are not a member of this organisation',
        OrganisationErrorCode.ACCESS_DENIED,
      );
    }
    return organisation;
  }

  async roleOf(userId: string, organisationId: string, manager: EntityManager = this.dataSource.manager): Promise<OrgRole | null> {
    const member = await manager.getRepository(OrganisationMember).findOneBy({ userId, organisationId });
    return member?.role ?? null;
  }

  /** Ids of the organisations where the person has one of these roles. */
  async organisationIdsOf(userId: string, roles: OrgRole[] = ['org_admin', 'employee']): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(OrganisationMember)
      .createQueryBuilder('m')
      .select('m.organisation_id', 'id')
      .where('m.user_id = :userId AND m.role IN (:...roles)', { userId, roles })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** County codes of the organisations the person administers (from each organisation's municipality). */
  async adminCountyCodes(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT DISTINCT m.county_code FROM organisation_members om
         JOIN organisations o ON o.id = om.organisation_id
         JOIN municipalities m ON m.code = o.municipality_code
        WHERE om.user_id = $1 AND om.role = 'org_admin' ORDER BY 1`,
      [userId],
    )) as { county_code: string }[];
    return rows.map((r) => r.county_code);
  }
}
