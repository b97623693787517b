import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError, FieldError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { PersonalDataRegistry } from '../common/personal-data.js';
import { OrganisationAccess } from '../organisations/organisation-access.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { CreateStatementDto, StatementDto, StatementQueryDto, UpdateStatementDto } from './dto/statement.dto.js';
import { NeedsErrorCode } from './needs.errors.js';
import { NeedsAccess } from './needs-access.service.js';
import { NeedsRoundOrganisation } from './needs-round.entity.js';
import { NeedsStatement } from './needs-statement.entity.js';

type StatementFields = Omit<CreateStatementDto, 'organisationId'>;

/**
 * Needs statements (Q1, Q2, Q4, Q9). Org admins state their organisation's needs and edit all of
 * its statements; an employee states and edits only their own need (people = 1). Written only
 * while the round is open and within its dates, checked under a share lock on the round so that a
 * concurrent close wins cleanly.
 */
@Injectable()
export class NeedsStatementsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: NeedsAccess,
    private readonly organisationAccess: OrganisationAccess,
    private readonly organisations: OrganisationsService,
    private readonly reference: ReferenceService,
    private readonly personalData: PersonalDataRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // An employee's own need is personal data: exported with the person, and unlinked from them on
    // erasure (the anonymous count stays in the round's statistics; the free text goes).
    this.personalData.register({
      key: 'needsStatements',
      export: async (manager, userId) => {
        const rows = await manager.getRepository(NeedsStatement).find({ where: { personUserId: userId }, order: { createdAt: 'ASC' } });
        return this.toDtos(manager, rows);
      },
      erase: async (manager, userId) => {
        await manager.query(
          `UPDATE needs_statements SET person_user_id = NULL, comment = NULL, created_by_user_id = NULL WHERE person_user_id = $1`,
          [userId],
        );
        await manager.query(`UPDATE needs_statements SET created_by_user_id = NULL WHERE created_by_user_id = $1`, [userId]);
      },
    });
  }

  async create(user: AuthUser, roundId: string, dto: CreateStatementDto): Promise<StatementDto> {
    const id = await this.dataSource.transaction(async (manager) => {
      const round = await this.access.round(roundId, manager, 'pessimistic_read');
      await this.organisationAccess.require(user, dto.organisationId, 'member', manager);
      const personal = await this.isPersonal(user, dto.organisationId, manager);
      await this.assertInvited(manager, roundId, dto.organisationId);
      await this.validate(dto, personal);
      this.access.assertAccepting(round, this.clock.now());
      const saved = await manager.getRepository(NeedsStatement).save({
        roundId,
        organisationId: dto.organisationId,
        personUserId: personal ? user.id : null,
        createdByUserId: user.id,
        ...this.columns(dto),
      });
      return saved.id;
    });
    return this.getDto(id);
  }

  /** Coordinators: all (filter by organisation). Org admins: their organisations'. Employees: their own. */
  async list(user: AuthUser, roundId: string, query: StatementQueryDto): Promise<Page<StatementDto>> {
    const { participation } = await this.access.requireParticipant(user, roundId);
    const qb = this.dataSource.getRepository(NeedsStatement).createQueryBuilder('s').where('s.round_id = :roundId', { roundId });
    if (query.organisationId) {
      if (!participation.coordinator) await this.organisationAccess.require(user, query.organisationId, 'member');
      qb.andWhere('s.organisation_id = :organisationId', { organisationId: query.organisationId });
    }
    if (!participation.coordinator) {
      const admin = participation.adminOrganisationIds;
      qb.andWhere(admin.length ? '(s.organisation_id IN (:...admin) OR s.person_user_id = :userId)' : 's.person_user_id = :userId', {
        admin,
        userId: user.id,
      });
    }
    const [rows, total] = await qb.orderBy('s.created_at', 'ASC').addOrderBy('s.id').take(query.limit).skip(query.offset).getManyAndCount();
    return { items: await this.toDtos(this.dataSource.manager, rows), total };
  }

  async update(user: AuthUser, roundId: string, statementId: string, dto: UpdateStatementDto): Promise<StatementDto> {
    await this.dataSource.transaction(async (manager) => {
      const round = await this.access.round(roundId, manager, 'pessimistic_read');
      const statement = await this.editable(manager, user, roundId, statementId);
      const merged: StatementFields = { ...this.fieldsOf(statement), ...dto };
      if (dto.municipalityCode !== undefined && dto.online === undefined) merged.online = false;
      await this.validate(merged, statement.personUserId !== null, Object.keys(dto));
      this.access.assertAccepting(round, this.clock.now());
      await manager.getRepository(NeedsStatement).update({ id: statementId }, this.columns(merged));
    });
    return this.getDto(statementId);
  }

  async remove(user: AuthUser, roundId: string, statementId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const round = await this.access.round(roundId, manager, 'pessimistic_read');
      await this.editable(manager, user, roundId, statementId);
      this.access.assertAccepting(round, this.clock.now());
      await manager.getRepository(NeedsStatement).delete({ id: statementId });
    });
  }

  /** The statement, if the caller may change it: coordinators and the organisation's admins; an employee their own. */
  private async editable(manager: EntityManager, user: AuthUser, roundId: string, statementId: string): Promise<NeedsStatement> {
    const statement = await manager.getRepository(NeedsStatement).findOneBy({ id: statementId, roundId });
    if (!statement) throw AppError.notFound('Statement', NeedsErrorCode.STATEMENT_NOT_FOUND);
    if (user.globalRole === 'coordinator' || statement.personUserId === user.id) return statement;
    const role = await this.organisationAccess.roleOf(user.id, statement.organisationId, manager);
    if (role !== 'org_admin') {
      throw AppError.forbidden('Only the organisation\'s admins, or the person who stated it, may change this', NeedsErrorCode.STATEMENT_ACCESS_DENIED);
    }
    return statement;
  }

  /** An employee (not an admin, not a coordinator) states a personal need. */
  private async isPersonal(user: AuthUser, organisationId: string, manager: EntityManager): Promise<boolean> {
    if (user.globalRole === 'coordinator') return false;
    return (await this.organisationAccess.roleOf(user.id, organisationId, manager)) === 'employee';
  }

  private async assertInvited(manager: EntityManager, roundId: string, organisationId: string): Promise<void> {
    const invited = await manager.getRepository(NeedsRoundOrganisation).existsBy({ roundId, organisationId });
    if (!invited) throw AppError.forbidden('This organisation is not invited to the round', NeedsErrorCode.ORGANISATION_NOT_INVITED);
  }

  /** Rules the DTO cannot express: reference codes, gender counts within people, place or online, personal = 1 person. */
  private async validate(dto: StatementFields, personal: boolean, changed?: string[]): Promise<void> {
    const errors: FieldError[] = [];
    const touched = (field: string) => !changed || changed.includes(field);
    const unknown = async (field: string, kind: Parameters<ReferenceService['unknownCodes']>[0], codes: string[]) => {
      const missing = await this.reference.unknownCodes(kind, codes);
      if (missing.length) errors.push({ field, messages: [`unknown codes: ${missing.join(', ')}`] });
    };
    if (touched('themeCode')) await unknown('themeCode', 'theme', [dto.themeCode]);
    if (touched('preferredFormats')) await unknown('preferredFormats', 'format', dto.preferredFormats);
    if (touched('accessibilityNeeds')) await unknown('accessibilityNeeds', 'accessibilityFeature', dto.accessibilityNeeds ?? []);
    if (dto.municipalityCode && touched('municipalityCode')) await unknown('municipalityCode', 'municipality', [dto.municipalityCode]);
    if (personal && dto.people !== 1) errors.push({ field: 'people', messages: ['must be 1 for your own need'] });
    const stated = (dto.women ?? 0) + (dto.men ?? 0) + (dto.otherGender ?? 0);
    if (stated > dto.people) {
      errors.push({ field: 'people', messages: [`women + men + otherGender (${stated}) must not exceed people (${dto.people})`] });
    }
    if (dto.municipalityCode && dto.online) {
      errors.push({ field: 'municipalityCode', messages: ['give either a municipality or online: true, not both'] });
    }
    if (errors.length) {
      throw new AppError(400, 'VALIDATION_FAILED', `Invalid input: ${errors.map((e) => `${e.field} ${e.messages.join(', ')}`).join('; ')}`, errors);
    }
  }

  private columns(dto: StatementFields): Partial<NeedsStatement> {
    return {
      themeCode: dto.themeCode,
      people: dto.people,
      women: dto.women ?? null,
      men: dto.men ?? null,
      otherGender: dto.otherGender ?? null,
      preferredFormats: dto.preferredFormats,
      municipalityCode: dto.municipalityCode ?? null,
      online: dto.online ?? false,
      preferredPeriods: dto.preferredPeriod ?? [],
      preferredTimeOfDay: dto.preferredTimeOfDay ?? null,
      priority: dto.priority ?? null,
      accessibilityNeeds: dto.accessibilityNeeds ?? [],
      comment: dto.comment || null,
    };
  }

  private fieldsOf(row: NeedsStatement): StatementFields {
    return {
      themeCode: row.themeCode,
      people: row.people,
      women: row.women ?? undefined,
      men: row.men ?? undefined,
      otherGender: row.otherGender ?? undefined,
      preferredFormats: row.preferredFormats,
      municipalityCode: row.municipalityCode ?? undefined,
      online: row.online,
      preferredPeriod: row.preferredPeriods,
      preferredTimeOfDay: row.preferredTimeOfDay ?? undefined,
      priority: row.priority ?? undefined,
      accessibilityNeeds: row.accessibilityNeeds,
      comment: row.comment ?? undefined,
    };
  }

  private async getDto(id: string): Promise<StatementDto> {
    const row = await this.dataSource.getRepository(NeedsStatement).findOneByOrFail({ id });
    return (await this.toDtos(this.dataSource.manager, [row]))[0];
  }

  private async toDtos(manager: EntityManager, rows: NeedsStatement[]): Promise<StatementDto[]> {
    const names = await this.organisations.namesByIds(manager, [...new Set(rows.map((r) => r.organisationId))]);
    return rows.map((row) => ({
      id: row.id,
      roundId: row.roundId,
      organisationId: row.organisationId,
      organisationName: names.get(row.organisationId) ?? '',
      personal: row.personUserId !== null,
      personUserId: row.personUserId,
      themeCode: row.themeCode,
      people: row.people,
      women: row.women,
      men: row.men,
      otherGender: row.otherGender,
      preferredFormats: row.preferredFormats,
      municipalityCode: row.municipalityCode,
      online: row.online,
      preferredPeriod: row.preferredPeriods,
      preferredTimeOfDay: row.preferredTimeOfDay,
      priority: row.priority,
      accessibilityNeeds: row.accessibilityNeeds,
      comment: row.comment,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }));
  }
}
