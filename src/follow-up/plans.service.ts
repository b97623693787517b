import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import type { CreatePlanDto, PlanDto } from './dto/plan.dto.js';
import { FollowUpErrorCode } from './follow-up.errors.js';
import { FollowUpPlan, FollowUpPlanStep } from './follow-up-plan.entity.js';
import { QuestionnairesService } from './questionnaires.service.js';

export interface ActivePlan {
  plan: FollowUpPlan;
  steps: FollowUpPlanStep[];
}

/** Follow-up plans: the default one and per-offering overrides; a new plan replaces the active one of its scope. */
@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly questionnaires: QuestionnairesService,
    private readonly audit: AuditService,
  ) {}

  async create(user: AuthUser, dto: CreatePlanDto): Promise<PlanDto> {
    const steps = this.stepsOf(dto);
    const id = await this.dataSource.transaction(async (manager) => {
      await this.questionnaires.requireExisting(
        manager,
        dto.steps ? dto.steps.map((s, i) => ({ field: `steps[${i}].questionnaireId`, id: s.questionnaireId })) : [{ field: 'questionnaireId', id: dto.questionnaireId! }],
      );
      if (dto.offeringId) {
        const [offering] = (await manager.query('SELECT id FROM offerings WHERE id = $1', [dto.offeringId])) as unknown[];
        if (!offering) throw AppError.validation('offeringId', `unknown offering ${dto.offeringId}`);
      }
      const scope = dto.offeringId ?? 'default';
      // Serialise plan changes per scope; the partial unique index is the backstop.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`follow-up-plan:${scope}`]);
      await manager.getRepository(FollowUpPlan).update({ scope, active: true }, { active: false });
      const plan = await manager.getRepository(FollowUpPlan).save({
        scope,
        offeringId: dto.offeringId ?? null,
        reminderAfter: dto.reminderAfter ?? null,
        maxReminders: dto.reminderAfter ? (dto.maxReminders ?? 0) : 0,
        expiresAfter: dto.expiresAfter ?? null,
        createdBy: user.id,
      });
      await manager.getRepository(FollowUpPlanStep).insert(steps.map((s, i) => ({ planId: plan.id, position: i + 1, ...s })));
      await this.audit.record(manager, { actorUserId: user.id, action: 'follow_up_plan.created', details: { planId: plan.id, offeringId: dto.offeringId ?? null } });
      return plan.id;
    });
    return this.get(id);
  }

  async list(page: { limit: number; offset: number }): Promise<Page<PlanDto>> {
    const [plans, total] = await this.dataSource.getRepository(FollowUpPlan).findAndCount({
      where: { active: true },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: await Promise.all(plans.map((p) => this.toDto(this.dataSource.manager, p))), total };
  }

  async get(id: string): Promise<PlanDto> {
    const plan = await this.dataSource.getRepository(FollowUpPlan).findOneBy({ id });
    if (!plan) throw AppError.notFound('Follow-up plan', FollowUpErrorCode.PLAN_NOT_FOUND);
    return this.toDto(this.dataSource.manager, plan);
  }

  /** The plan that applies to an offering: its own, else the default; null when there is none. */
  async activeFor(manager: EntityManager, offeringId: string): Promise<ActivePlan | null> {
    const [plan] = await manager
      .getRepository(FollowUpPlan)
      .createQueryBuilder('p')
      .where('p.active AND (p.offering_id = :offeringId OR p.scope = :default)', { offeringId, default: 'default' })
      .orderBy('p.offering_id IS NULL', 'ASC')
      .limit(1)
      .getMany();
    if (!plan) return null;
    const steps = await manager.getRepository(FollowUpPlanStep).find({ where: { planId: plan.id }, order: { position: 'ASC' } });
    return { plan, steps };
  }

  private stepsOf(dto: CreatePlanDto): { questionnaireId: string; sendOffset: string }[] {
    if (dto.steps && (dto.questionnaireId || dto.sendOffsets)) {
      throw AppError.validation('steps', 'give either steps or questionnaireId with sendOffsets, not both');
    }
    if (dto.steps) return dto.steps.map((s) => ({ questionnaireId: s.questionnaireId, sendOffset: s.sendOffset.toUpperCase() }));
    if (!dto.questionnaireId) throw AppError.validation('questionnaireId', 'is required (or give steps)');
    return (dto.sendOffsets ?? ['P1D']).map((sendOffset) => ({ questionnaireId: dto.questionnaireId!, sendOffset: sendOffset.toUpperCase() }));
  }

  private async toDto(manager: EntityManager, plan: FollowUpPlan): Promise<PlanDto> {
    const steps = await manager.getRepository(FollowUpPlanStep).find({ where: { planId: plan.id }, order: { position: 'ASC' } });
    return {
      id: plan.id,
      offeringId: plan.offeringId,
      active: plan.active,
      steps: steps.map((s) => ({ position: s.position, questionnaireId: s.questionnaireId, sendOffset: s.sendOffset })),
      reminderAfter: plan.reminderAfter,
      maxReminders: plan.maxReminders,
      expiresAfter: plan.expiresAfter,
      createdAt: plan.createdAt.toISOString(),
    };
  }
}
