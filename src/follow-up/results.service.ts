import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { ProviderAccess } from '../catalogue/provider-access.service.js';
import { AppError } from '../common/errors/app-error.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { EvaluationResultsDto, QuestionnaireResultDto, ResultsQueryDto } from './dto/results.dto.js';
import { FollowUpErrorCode } from './follow-up.errors.js';
import type { Answers, Question } from './questionnaire.types.js';
import { aggregateQuestion, MIN_RESPONSES } from './results-aggregate.js';

/** The groups the results API filters by, which the coordinator's comparison table shows side by side. */
export const RESULT_GROUPINGS = ['offering', 'provider', 'theme', 'organisation'] as const;
export type ResultGrouping = (typeof RESULT_GROUPINGS)[number];
const GROUP_COLUMNS: Record<ResultGrouping, string> = { offering: 'offering_id', provider: 'provider_id', theme: 'theme_codes', organisation: 'organisation_id' };
const SCOPE_KEYS = { offering: 'offeringId', provider: 'providerId', theme: 'themeCode', organisation: 'organisationId' } as const;

type StoredQuestionnaire = { id: string; title: string; version: number; questions: Question[] };

interface Scope {
  offeringId?: string;
  providerId?: string;
  themeCode?: string;
  organisationId?: string;
  questionnaireId?: string;
}

/** Builds `WHERE` over the columns invitations and responses share. */
function where(scope: Scope, alias: string): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    parts.push(sql.replace('?', `$${params.length}`));
  };
  if (scope.offeringId) add(`${alias}.offering_id = ?`, scope.offeringId);
  if (scope.providerId) add(`${alias}.provider_id = ?`, scope.providerId);
  if (scope.themeCode) add(`? = ANY(${alias}.theme_codes)`, scope.themeCode);
  if (scope.organisationId) add(`${alias}.organisation_id = ?`, scope.organisationId);
  if (scope.questionnaireId) add(`${alias}.questionnaire_id = ?`, scope.questionnaireId);
  return { sql: parts.length ? parts.join(' AND ') : 'true', params };
}

/**
 * Evaluation results per offering, provider, theme or organisation: response rate, per-question
 * distributions and means, free text. Below five responses a questionnaire shows its counts only.
 * Coordinators see everything; provider staff their own provider's offerings.
 */
@Injectable()
export class ResultsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProviderAccess,
    private readonly reference: ReferenceService,
  ) {}

  async forOffering(user: AuthUser, offeringId: string, questionnaireId?: string): Promise<EvaluationResultsDto> {
    await this.providers.requireForOffering(user, offeringId);
    return this.build({ offeringId, ...(questionnaireId ? { questionnaireId } : {}) });
  }

  async query(user: AuthUser, query: ResultsQueryDto): Promise<EvaluationResultsDto> {
    if (query.providerId) await this.providers.require(user, query.providerId);
    else if (user.globalRole !== 'coordinator') {
      throw AppError.forbidden('Provider staff must ask for their own provider (providerId)', FollowUpErrorCode.RESULTS_ACCESS_DENIED);
    }
    if (query.organisationId && user.globalRole !== 'coordinator') {
      throw AppError.forbidden('Only coordinators see results per organisation', FollowUpErrorCode.RESULTS_ACCESS_DENIED);
    }
    if (query.themeCode && (await this.reference.unknownCodes('theme', [query.themeCode])).length) {
      throw AppError.validation('themeCode', `unknown theme ${query.themeCode}`);
    }
    if (query.organisationId) {
      const [org] = (await this.dataSource.query('SELECT id FROM organisations WHERE id = $1', [query.organisationId])) as unknown[];
      if (!org) throw AppError.notFound('Organisation', 'ORGANISATION_NOT_FOUND');
    }
    const scope: Scope = {};
    for (const key of ['providerId', 'themeCode', 'organisationId', 'questionnaireId'] as const) {
      if (query[key]) scope[key] = query[key];
    }
    return this.build(scope);
  }

  /**
   * The results of every group at once (coordinators): per offering, provider, theme or
   * organisation, each group exactly what `forOffering`/`query` give for it (the same assembly,
   * the same suppression below five responses), for the coordinator's comparison table.
   */
  async byGroup(user: AuthUser, per: ResultGrouping, questionnaireId?: string): Promise<{ key: string; results: EvaluationResultsDto }[]> {
    if (user.globalRole !== 'coordinator') throw AppError.forbidden('Only coordinators compare results across groups', FollowUpErrorCode.RESULTS_ACCESS_DENIED);
    const column = GROUP_COLUMNS[per];
    const group = (alias: string) => (per === 'theme' ? `unnest(${alias}.theme_codes)` : `${alias}.${column}`);
    const filter = (alias: string) => (questionnaireId ? ` AND ${alias}.questionnaire_id = $1` : '');
    const params = questionnaireId ? [questionnaireId] : [];
    const invited = (await this.dataSource.query(
      `SELECT g, questionnaire_id, count(*)::int AS n
         FROM (SELECT ${group('i')} AS g, i.questionnaire_id FROM evaluation_invitations i WHERE i.sent_at IS NOT NULL${filter('i')}) x
        WHERE g IS NOT NULL GROUP BY 1, 2`,
      params,
    )) as { g: string; questionnaire_id: string; n: number }[];
    const responses = (await this.dataSource.query(
      `SELECT g, questionnaire_id, answers
         FROM (SELECT ${group('r')} AS g, r.questionnaire_id, r.answers FROM evaluation_responses r WHERE true${filter('r')}) x
        WHERE g IS NOT NULL`,
      params,
    )) as { g: string; questionnaire_id: string; answers: Answers }[];
    const questionnaires = await this.questionnairesOf([...invited.map((r) => r.questionnaire_id), ...responses.map((r) => r.questionnaire_id)]);
    const keys = [...new Set([...invited.map((r) => r.g), ...responses.map((r) => r.g)])];
    const scopeKey = SCOPE_KEYS[per];
    return keys.map((key) => ({
      key,
      results: this.assemble(
        { [scopeKey]: key, ...(questionnaireId ? { questionnaireId } : {}) },
        invited.filter((r) => r.g === key),
        responses.filter((r) => r.g === key),
        questionnaires,
      ),
    }));
  }

  private async build(scope: Scope): Promise<EvaluationResultsDto> {
    const inv = where(scope, 'i');
    const invited = (await this.dataSource.query(
      `SELECT i.questionnaire_id, count(*)::int AS n FROM evaluation_invitations i WHERE i.sent_at IS NOT NULL AND ${inv.sql} GROUP BY 1`,
      inv.params,
    )) as { questionnaire_id: string; n: number }[];
    const res = where(scope, 'r');
    const responses = (await this.dataSource.query(`SELECT r.questionnaire_id, r.answers FROM evaluation_responses r WHERE ${res.sql}`, res.params)) as {
      questionnaire_id: string;
      answers: Answers;
    }[];
    const questionnaires = await this.questionnairesOf([...invited.map((r) => r.questionnaire_id), ...responses.map((r) => r.questionnaire_id)]);
    return this.assemble(scope, invited, responses, questionnaires);
  }

  private async questionnairesOf(ids: string[]): Promise<StoredQuestionnaire[]> {
    return (await this.dataSource.query('SELECT id, title, version, questions FROM questionnaires WHERE id = ANY($1::uuid[]) ORDER BY created_at, id', [
      [...new Set(ids)],
    ])) as StoredQuestionnaire[];
  }

  /** The results of one scope from its sent invitations (counted per questionnaire) and its responses. */
  private assemble(
    scope: Scope,
    invited: { questionnaire_id: string; n: number }[],
    responses: { questionnaire_id: string; answers: Answers }[],
    all: StoredQuestionnaire[],
  ): EvaluationResultsDto {
    const ids = new Set([...invited.map((r) => r.questionnaire_id), ...responses.map((r) => r.questionnaire_id)]);
    const questionnaires = all.filter((q) => ids.has(q.id));
    const results: QuestionnaireResultDto[] = questionnaires.map((q) => {
      const answers = responses.filter((r) => r.questionnaire_id === q.id).map((r) => r.answers);
      const sent = invited.find((r) => r.questionnaire_id === q.id)?.n ?? 0;
      const suppressed = answers.length < MIN_RESPONSES;
      return {
        questionnaireId: q.id,
        title: q.title,
        version: q.version,
        invited: sent,
        responses: answers.length,
        responseRate: rate(answers.length, sent),
        suppressed,
        questions: suppressed ? [] : q.questions.map((question) => aggregateQuestion(question, answers)),
      };
    });
    const totalInvited = results.reduce((s, r) => s + r.invited, 0);
    return {
      scope: Object.fromEntries(Object.entries(scope).filter(([, v]) => v)) as Record<string, string>,
      minResponses: MIN_RESPONSES,
      invited: totalInvited,
      responses: responses.length,
      responseRate: rate(responses.length, totalInvited),
      questionnaires: results,
    };
  }
}

/** Answers over invitations sent; people who erased their account leave answers without invitations, hence the cap. */
function rate(answered: number, invited: number): number | null {
  return invited ? Math.min(1, Math.round((answered / invited) * 100) / 100) : null;
}
