import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import { OrganisationAccess } from '../organisations/organisation-access.service.js';
import type { AssessmentDto, PutAssessmentDto } from './dto/assessment.dto.js';
import { NeedsErrorCode } from './needs.errors.js';
import { NeedsAccess } from './needs-access.service.js';
import { NeedsAssessment } from './needs-assessment.entity.js';
import { NeedsRoundOrganisation } from './needs-round.entity.js';

export function toAssessmentDto(row: NeedsAssessment): AssessmentDto {
  return {
    roundId: row.roundId,
    organisationId: row.organisationId,
    genderEquality:
      row.genderPlan === null
        ? null
        : { hasPlan: row.genderPlan, hasTrained: row.genderTrained ?? false, wantsTraining: row.genderWantsTraining ?? false },
    accessibility:
      row.accessibilityKnowledge === null
        ? null
        : { knowledge: row.accessibilityKnowledge, wantsTraining: row.accessibilityWantsTraining ?? false },
    socialEnterpriseSupport: { needs: row.supportNeeds, ...(row.supportComment ? { comment: row.supportComment } : {}) },
    preferredProviders: { providerIds: row.preferredProviderIds, ...(row.preferredProvidersOther ? { other: row.preferredProvidersOther } : {}) },
    followUp: { methods: row.followUpMethods, ...(row.followUpComment ? { comment: row.followUpComment } : {}) },
    channels: { codes: row.channels, ...(row.channelsOther ? { other: row.channelsOther } : {}) },
    cooperation: { projects: row.cooperatingProjects, ...(row.cooperationComment ? { comment: row.cooperationComment } : {}) },
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The organisation's answers (Q5–Q8, Q10–Q12): one per organisation and round, replaced as a whole by PUT. */
@Injectable()
export class NeedsAssessmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: NeedsAccess,
    private readonly organisationAccess: OrganisationAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async put(user: AuthUser, roundId: string, organisationId: string, dto: PutAssessmentDto): Promise<AssessmentDto> {
    await this.dataSource.transaction(async (manager) => {
      const round = await this.access.round(roundId, manager, 'pessimistic_read');
      await this.organisationAccess.require(user, organisationId, 'admin', manager);
      const invited = await manager.getRepository(NeedsRoundOrganisation).existsBy({ roundId, organisationId });
      if (!invited) throw AppError.forbidden('This organisation is not invited to the round', NeedsErrorCode.ORGANISATION_NOT_INVITED);
      await this.assertProviders(dto.preferredProviders?.providerIds ?? []);
      this.access.assertAccepting(round, this.clock.now());
      await manager.getRepository(NeedsAssessment).upsert(
        {
          roundId,
          organisationId,
          genderPlan: dto.genderEquality?.hasPlan ?? null,
          genderTrained: dto.genderEquality?.hasTrained ?? null,
          genderWantsTraining: dto.genderEquality?.wantsTraining ?? null,
          accessibilityKnowledge: dto.accessibility?.knowledge ?? null,
          accessibilityWantsTraining: dto.accessibility?.wantsTraining ?? null,
          supportNeeds: dto.socialEnterpriseSupport?.needs ?? [],
          supportComment: dto.socialEnterpriseSupport?.comment || null,
          preferredProviderIds: (dto.preferredProviders?.providerIds ?? []).map((id) => id.toLowerCase()),
          preferredProvidersOther: dto.preferredProviders?.other || null,
          followUpMethods: dto.followUp?.methods ?? [],
          followUpComment: dto.followUp?.comment || null,
          channels: dto.channels?.codes ?? [],
          channelsOther: dto.channels?.other || null,
          cooperatingProjects: (dto.cooperation?.projects ?? []).map((p) => p.trim()).filter(Boolean),
          cooperationComment: dto.cooperation?.comment || null,
          updatedByUserId: user.id,
          updatedAt: this.clock.now(),
        },
        ['roundId', 'organisationId'],
      );
      await this.audit.record(manager, { actorUserId: user.id, action: 'needs_assessment.saved', organisationId, details: { roundId } });
    });
    return this.get(user, roundId, organisationId);
  }

  async get(user: AuthUser, roundId: string, organisationId: string): Promise<AssessmentDto> {
    await this.access.round(roundId);
    await this.organisationAccess.require(user, organisationId, 'admin');
    const row = await this.dataSource.getRepository(NeedsAssessment).findOneBy({ roundId, organisationId });
    if (!row) throw AppError.notFound('Assessment', NeedsErrorCode.ASSESSMENT_NOT_FOUND);
    return toAssessmentDto(row);
  }

  /** Preferred providers must be the catalogue's providers (unknown ids are a 400 naming them). */
  private async assertProviders(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = (await this.dataSource.query('SELECT id FROM providers WHERE id = ANY($1::uuid[])', [ids])) as { id: string }[];
    const known = new Set(rows.map((row) => row.id));
    const unknown = ids.filter((id) => !known.has(id.toLowerCase()));
    if (unknown.length) throw AppError.validation('preferredProviders.providerIds', `unknown providers: ${unknown.join(', ')}`);
  }
}
