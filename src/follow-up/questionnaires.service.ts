import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError, CommonErrorCode, type FieldError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import type { CreateQuestionnaireDto, QuestionDto, QuestionnaireDto, QuestionResponseDto } from './dto/questionnaire.dto.js';
import { FollowUpErrorCode } from './follow-up.errors.js';
import { Questionnaire } from './questionnaire.entity.js';
import type { Question } from './questionnaire.types.js';

/** Rules the DTO cannot express: unique keys, options only (and always) for choice questions, ranges. */
function definitionErrors(questions: QuestionDto[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    const at = `questions[${i}]`;
    if (seen.has(q.key)) errors.push({ field: `${at}.key`, messages: [`duplicate question key "${q.key}"`] });
    seen.add(q.key);
    const choice = q.type === 'single_choice' || q.type === 'multi_choice';
    if (choice && !q.options) errors.push({ field: `${at}.options`, messages: [`are required for ${q.type}`] });
    if (!choice && q.options) errors.push({ field: `${at}.options`, messages: [`are only allowed for single_choice and multi_choice`] });
    if (q.options) {
      const values = q.options.map((o) => o.value);
      const dup = values.filter((v, j) => values.indexOf(v) !== j);
      if (dup.length) errors.push({ field: `${at}.options`, messages: [`duplicate option values: ${[...new Set(dup)].join(', ')}`] });
    }
    if (q.type !== 'number' && (q.min !== undefined || q.max !== undefined)) {
      errors.push({ field: `${at}.${q.min !== undefined ? 'min' : 'max'}`, messages: ['is only allowed for number questions'] });
    }
    if (q.min !== undefined && q.max !== undefined && q.min > q.max) errors.push({ field: `${at}.max`, messages: ['must not be less than min'] });
    if (q.type !== 'text' && q.maxLength !== undefined) errors.push({ field: `${at}.maxLength`, messages: ['is only allowed for text questions'] });
    if (q.type !== 'likert5' && q.scale !== undefined) errors.push({ field: `${at}.scale`, messages: ['is only allowed for likert5 questions'] });
  });
  return errors;
}

function toQuestion(q: QuestionDto): Question {
  return {
    key: q.key,
    type: q.type,
    text: q.text,
    textEn: q.textEn ?? null,
    required: q.required ?? false,
    ...(q.type === 'likert5' && q.scale ? { scale: q.scale } : {}),
    ...(q.options ? { options: q.options.map((o) => ({ value: o.value, label: o.label, labelEn: o.labelEn ?? null })) } : {}),
    ...(q.type === 'number' ? { min: q.min ?? null, max: q.max ?? null } : {}),
    ...(q.type === 'text' ? { maxLength: q.maxLength ?? null } : {}),
  };
}

/** A stored question as the API shows it. */
export function toQuestionDto(question: Question): QuestionResponseDto {
  const { options, ...rest } = question;
  return {
    ...rest,
    textEn: question.textEn ?? null,
    ...(options ? { options: options.map((o) => ({ value: o.value, label: o.label, labelEn: o.labelEn ?? null })) } : {}),
  };
}

/** Questionnaires (coordinators); a questionnaire that has answers is never changed, only replaced. */
@Injectable()
export class QuestionnairesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(user: AuthUser, dto: CreateQuestionnaireDto): Promise<QuestionnaireDto> {
    this.assertValid(dto);
    const id = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(Questionnaire).save({
        title: dto.title,
        titleEn: dto.titleEn ?? null,
        questions: dto.questions.map(toQuestion),
        createdBy: user.id,
      });
      await this.audit.record(manager, { actorUserId: user.id, action: 'questionnaire.created', details: { questionnaireId: saved.id } });
      return saved.id;
    });
    return this.get(id);
  }

  /**
   * Changes a questionnaire. Unanswered: in place. Answered: a new version with a new id, linked to
   * the old one; follow-up plans that used the old version use the new one from now on (invitations
   * already created keep the version they were made with).
   */
  async update(user: AuthUser, id: string, dto: CreateQuestionnaireDto): Promise<QuestionnaireDto> {
    this.assertValid(dto);
    const resultId = await this.dataSource.transaction(async (manager) => {
      const current = await manager.getRepository(Questionnaire).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw AppError.notFound('Questionnaire', FollowUpErrorCode.QUESTIONNAIRE_NOT_FOUND);
      if (current.replacedById) {
        throw AppError.conflict(FollowUpErrorCode.QUESTIONNAIRE_REPLACED, 'A newer version replaced this questionnaire: edit that one', {
          replacedById: current.replacedById,
        });
      }
      const fields = { title: dto.title, titleEn: dto.titleEn ?? null, questions: dto.questions.map(toQuestion) };
      if (!(await this.isAnswered(manager, id))) {
        await manager.getRepository(Questionnaire).update({ id }, fields);
        await this.audit.record(manager, { actorUserId: user.id, action: 'questionnaire.changed', details: { questionnaireId: id } });
        return id;
      }
      const next = await manager.getRepository(Questionnaire).save({
        ...fields,
        key: null,
        version: current.version + 1,
        previousId: current.id,
        createdBy: user.id,
      });
      // The shipped key moves to the newest version, so that "course_evaluation" always means the current one.
      if (current.key) {
        await manager.getRepository(Questionnaire).update({ id }, { key: null, replacedById: next.id });
        await manager.getRepository(Questionnaire).update({ id: next.id }, { key: current.key });
      } else {
        await manager.getRepository(Questionnaire).update({ id }, { replacedById: next.id });
      }
      await manager.query('UPDATE follow_up_plan_steps SET questionnaire_id = $2 WHERE questionnaire_id = $1', [id, next.id]);
      await this.audit.record(manager, { actorUserId: user.id, action: 'questionnaire.versioned', details: { questionnaireId: next.id, previousId: id, version: next.version } });
      return next.id;
    });
    return this.get(resultId);
  }

  /** Current versions (those not replaced), newest first. */
  async list(page: { limit: number; offset: number }): Promise<Page<QuestionnaireDto>> {
    const [current, total] = await this.dataSource.getRepository(Questionnaire).findAndCount({
      where: { replacedById: IsNull() },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    const answered = await this.answeredIds(current.map((q) => q.id));
    return { items: current.map((q) => this.toDto(q, answered.has(q.id))), total };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<QuestionnaireDto> {
    const q = await manager.getRepository(Questionnaire).findOneBy({ id });
    if (!q) throw AppError.notFound('Questionnaire', FollowUpErrorCode.QUESTIONNAIRE_NOT_FOUND);
    return this.toDto(q, await this.isAnswered(manager, id));
  }

  /** 400 naming each unknown questionnaire id (for plans). */
  async requireExisting(manager: EntityManager, ids: { field: string; id: string }[]): Promise<void> {
    const found = (await manager.query('SELECT id FROM questionnaires WHERE id = ANY($1::uuid[])', [ids.map((i) => i.id)])) as { id: string }[];
    const known = new Set(found.map((r) => r.id));
    const missing = ids.filter((i) => !known.has(i.id));
    if (missing.length) {
      throw new AppError(
        400,
        CommonErrorCode.VALIDATION_FAILED,
        `Unknown questionnaire: ${missing.map((m) => m.field).join(', ')}`,
        missing.map((m) => ({ field: m.field, messages: [`unknown questionnaire ${m.id}`] })),
      );
    }
  }

  private assertValid(dto: CreateQuestionnaireDto): void {
    const errors = definitionErrors(dto.questions);
    if (errors.length) {
      throw new AppError(400, CommonErrorCode.VALIDATION_FAILED, `Invalid input: ${errors.map((e) => `${e.field} ${e.messages.join(', ')}`).join('; ')}`, errors);
    }
  }

  private async isAnswered(manager: EntityManager, id: string): Promise<boolean> {
    const [row] = (await manager.query('SELECT EXISTS (SELECT 1 FROM evaluation_responses WHERE questionnaire_id = $1) AS answered', [id])) as {
      answered: boolean;
    }[];
    return row.answered;
  }

  private async answeredIds(ids: string[]): Promise<Set<string>> {
    const rows = (await this.dataSource.query('SELECT DISTINCT questionnaire_id FROM evaluation_responses WHERE questionnaire_id = ANY($1::uuid[])', [
      ids,
    ])) as { questionnaire_id: string }[];
    return new Set(rows.map((r) => r.questionnaire_id));
  }

  private toDto(q: Questionnaire, answered: boolean): QuestionnaireDto {
    return {
      id: q.id,
      key: q.key,
      title: q.title,
      titleEn: q.titleEn,
      version: q.version,
      previousId: q.previousId,
      replacedById: q.replacedById,
      answered,
      questions: q.questions.map(toQuestionDto),
      createdAt: q.createdAt.toISOString(),
    };
  }
}
