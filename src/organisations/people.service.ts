import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { toUserDto, UsersService } from '../auth/users.service.js';
import { User } from '../auth/user.entity.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { MembershipDirectory, PersonalDataRegistry, type RetainedData } from '../common/personal-data.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { MeDto, ProfileDto, UpdateProfileDto } from './dto/profile.dto.js';
import { PersonProfile, PersonSensitiveData } from './person-profile.entity.js';

const EMPTY_PROFILE: ProfileDto = {
  gender: null,
  birthYear: null,
  educationLevel: null,
  employmentType: null,
  accessibilityNeeds: [],
  disability: null,
};

/** A person's own view: /me, the statistics profile, export of everything held, and erasure. */
@Injectable()
export class PeopleService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly reference: ReferenceService,
    private readonly personalData: PersonalDataRegistry,
    private readonly memberships: MembershipDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.memberships.register(async (manager, userId) => {
      const rows = (await manager.query(
        `SELECT o.id, o.name, m.role, m.job_title FROM organisation_members m
           JOIN organisations o ON o.id = m.organisation_id
          WHERE m.user_id = $1 ORDER BY o.name`,
        [userId],
      )) as { id: string; name: string; role: string; job_title: string | null }[];
      return rows.map((row) => ({ kind: 'organisation' as const, id: row.id, name: row.name, role: row.role, jobTitle: row.job_title }));
    });
    this.personalData.register({
      key: 'memberships',
      export: (manager, userId) => this.memberships.of(manager, userId),
      erase: async (manager, userId) => {
        await manager.query('DELETE FROM organisation_members WHERE user_id = $1', [userId]);
      },
    });
  }

  async me(caller: AuthUser): Promise<MeDto> {
    const user = await this.activeUser(caller.id);
    return {
      ...toUserDto(user),
      memberships: await this.memberships.of(this.dataSource.manager, user.id),
      profile: await this.profile(this.dataSource.manager, user.id),
    };
  }

  ownProfile(caller: AuthUser): Promise<ProfileDto> {
    return this.profile(this.dataSource.manager, caller.id);
  }

  async profile(manager: EntityManager, userId: string): Promise<ProfileDto> {
    const [profile, sensitive] = await Promise.all([
      manager.getRepository(PersonProfile).findOneBy({ userId }),
      manager.getRepository(PersonSensitiveData).findOneBy({ userId }),
    ]);
    return {
      ...EMPTY_PROFILE,
      ...(profile
        ? {
            gender: profile.gender,
            birthYear: profile.birthYear,
            educationLevel: profile.educationLevel,
            employmentType: profile.employmentType,
            accessibilityNeeds: profile.accessibilityNeeds,
          }
        : {}),
      disability: sensitive?.disability ?? null,
    };
  }

  async updateProfile(caller: AuthUser, dto: UpdateProfileDto): Promise<ProfileDto> {
    const needs = [...new Set(dto.accessibilityNeeds ?? [])];
    const unknown = await this.reference.unknownCodes('accessibilityFeature', needs);
    if (unknown.length) {
      throw new AppError(400, 'VALIDATION_FAILED', `accessibilityNeeds: unknown codes ${unknown.join(', ')}`, [
        { field: 'accessibilityNeeds', messages: [`unknown accessibility feature codes: ${unknown.join(', ')}`] },
      ]);
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(PersonProfile).upsert(
        {
          userId: caller.id,
          gender: dto.gender ?? null,
          birthYear: dto.birthYear ?? null,
          educationLevel: dto.educationLevel ?? null,
          employmentType: dto.employmentType ?? null,
          accessibilityNeeds: needs,
          updatedAt: this.clock.now(),
        },
        ['userId'],
      );
      await manager
        .getRepository(PersonSensitiveData)
        .upsert({ userId: caller.id, disability: dto.disability ?? null, updatedAt: this.clock.now() }, ['userId']);
    });
    return this.profile(this.dataSource.manager, caller.id);
  }

  /** Everything the system holds on the caller, as one JSON document (GDPR art. 15 and 20). */
  async export(caller: AuthUser): Promise<Record<string, unknown>> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const user = await this.activeUser(caller.id, manager);
      const document: Record<string, unknown> = {
        exportedAt: this.clock.now().toISOString(),
        account: toUserDto(user),
        profile: await this.profile(manager, user.id),
      };
      for (const contributor of this.personalData.all()) {
        document[contributor.key] = await contributor.export(manager, user.id, user.email);
      }
      await this.audit.record(manager, { actorUserId: user.id, action: 'person.exported', subjectUserId: user.id });
      document.auditLog = await this.audit.aboutPerson(manager, user.id);
      return document;
    });
  }

  /**
   * Erases the account (GDPR art. 17): every module removes or anonymises what it holds, the
   * profile and the sensitive data are deleted, and the account row keeps only its id (so that
   * statistics that need no identity still add up). The email is free to register again. What a
   * legal obligation keeps (ESF evidence during its hold) is answered as `retained`.
   */
  async erase(caller: AuthUser): Promise<{ erased: true; retained: RetainedData[] }> {
    return this.dataSource.transaction(async (manager) => {
      const retained: RetainedData[] = [];
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [caller.id]);
      const user = await this.activeUser(caller.id, manager);
      for (const contributor of this.personalData.all()) {
        retained.push(...((await contributor.erase(manager, user.id, user.email)) ?? []));
      }
      await manager.getRepository(PersonProfile).delete({ userId: user.id });
      await manager.getRepository(PersonSensitiveData).delete({ userId: user.id });
      await this.users.erase(manager, user);
      await this.audit.record(manager, { actorUserId: user.id, action: 'person.erased', subjectUserId: user.id, details: { retained: retained.map((r) => r.kind) } });
      return { erased: true as const, retained };
    });
  }

  private async activeUser(id: string, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const user = await manager.getRepository(User).findOneBy({ id });
    if (!user || user.erasedAt) throw AppError.unauthenticated('This account no longer exists');
    return user;
  }
}
