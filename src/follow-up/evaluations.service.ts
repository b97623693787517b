import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { hashToken } from '../common/crypto.js';
import { AppError, CommonErrorCode } from '../common/errors/app-error.js';
import { toFieldErrors, validateAnswers, type AnswerError } from './answers.js';
import type { EvaluationFormDto, EvaluationReceivedDto } from './dto/evaluation.dto.js';
import { stockholmParts } from '../common/dates.js';
import { FollowUpErrorCode } from './follow-up.errors.js';
import type { Question } from './questionnaire.types.js';
import { toQuestionDto } from './questionnaires.service.js';
import { ResponseMixer } from './response-mixer.js';

interface OpenInvitation {
  id: string;
  status: string;
  locale: 'sv' | 'en';
  expires_at: Date | null;
  offering_id: string;
  session_id: string;
  provider_id: string;
  organisation_id: string | null;
  theme_codes: string[];
  questionnaire_id: string;
  version: number;
  title: string;
  title_en: string | null;
  questions: Question[];
  course_title: string | null;
}

/** Answers that fail validation; carries every problem so that a form can show each next to its field. */
export class InvalidAnswersError extends AppError {
  constructor(readonly problems: AnswerError[]) {
    super(
      400,
      CommonErrorCode.VALIDATION_FAILED,
      `Invalid answers: ${problems.map((p) => `${p.key || 'answers'} ${p.message}`).join('; ')}`,
      toFieldErrors(problems),
    );
  }
}

const day = (date: Date) => {
  const p = stockholmParts(date);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

/**
 * Answering an evaluation by its link token. The answer is written without any link to the
 * invitation or the person; the invitation only learns that it was answered.
 */
@Injectable()
export class EvaluationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly mixer: ResponseMixer,
  ) {}

  /** The questionnaire behind a link: 404 unknown or expired, 409 already answered. */
  async form(token: string): Promise<EvaluationFormDto> {
    const invitation = await this.open(this.dataSource.manager, token, false);
    return {
      questionnaireId: invitation.questionnaire_id,
      title: invitation.title,
      titleEn: invitation.title_en,
      courseTitle: invitation.course_title,
      locale: invitation.locale,
      expiresAt: invitation.expires_at?.toISOString() ?? null,
      questions: invitation.questions.map(toQuestionDto),
    };
  }

  /** The language a link's page defaults to (the invitation's), or Swedish for an unknown link. */
  async localeOf(token: string): Promise<'sv' | 'en'> {
    const [row] = (await this.dataSource.query(
      `SELECT i.locale FROM evaluation_tokens t JOIN evaluation_invitations i ON i.id = t.invitation_id WHERE t.token_hash = $1`,
      [hashToken(token)],
    )) as { locale: 'sv' | 'en' }[];
    return row?.locale ?? 'sv';
  }

  /**
   * Marks the invitation answered (the day only) and puts the answer in the inbox, in one
   * transaction; the ResponseMixer moves it to the results in another (see there).
   */
  async submit(token: string, input: unknown): Promise<EvaluationReceivedDto> {
    const received = await this.dataSource.transaction(async (manager) => {
      const invitation = await this.open(manager, token, true);
      const { answers, errors } = validateAnswers(invitation.questions, input);
      if (errors.length) throw new InvalidAnswersError(errors);
      const now = this.clock.now();
      const answeredOn = day(now);
      await manager.query(
        `INSERT INTO evaluation_response_inbox
           (questionnaire_id, questionnaire_version, offering_id, session_id, provider_id, theme_codes, organisation_id, answers, answered_on, received_at)
         VALUES ($1, $2, $3, $4, $5, $6::varchar[], $7, $8::jsonb, $9::date, $10)`,
        [
          invitation.questionnaire_id,
          invitation.version,
          invitation.offering_id,
          invitation.session_id,
          invitation.provider_id,
          invitation.theme_codes,
          invitation.organisation_id,
          JSON.stringify(answers),
          answeredOn,
          now,
        ],
      );
      await manager.query(
        `UPDATE evaluation_invitations SET status = 'answered', answered_at = $2::date, next_reminder_at = NULL WHERE id = $1`,
        [invitation.id, answeredOn],
      );
      return { answered: true as const, answeredOn };
    });
    // Its own transaction: mixes when enough answers wait (a failure leaves them for the interval).
    await this.mixer.mixDue().catch(() => 0);
    return received;
  }

  /** "I don't want to answer": no more reminders for this invitation (it may still be answered). */
  async optOut(token: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const invitation = await this.open(manager, token, true);
      if (invitation.status === 'opted_out') return;
      await manager.query(
        `UPDATE evaluation_invitations SET status = 'opted_out', opted_out_at = $2, next_reminder_at = NULL WHERE id = $1`,
        [invitation.id, this.clock.now()],
      );
    });
  }

  private async open(manager: EntityManager, token: string, lock: boolean): Promise<OpenInvitation> {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) {
      throw AppError.notFound('Evaluation', FollowUpErrorCode.EVALUATION_NOT_FOUND);
    }
    const [invitation] = (await manager.query(
      `SELECT i.id, i.status, i.locale, i.expires_at, i.offering_id, i.session_id, i.provider_id, i.organisation_id, i.theme_codes,
              q.id AS questionnaire_id, q.version, q.title, q.title_en, q.questions, o.title AS course_title
         FROM evaluation_tokens t
         JOIN evaluation_invitations i ON i.id = t.invitation_id
         JOIN questionnaires q ON q.id = i.questionnaire_id
         LEFT JOIN offerings o ON o.id = i.offering_id
        WHERE t.token_hash = $1
        ${lock ? 'FOR UPDATE OF i' : ''}`,
      [hashToken(token)],
    )) as OpenInvitation[];
    const now = this.clock.now();
    if (!invitation || ['expired', 'cancelled'].includes(invitation.status) || (invitation.expires_at && invitation.expires_at <= now)) {
      throw AppError.notFound('Evaluation', FollowUpErrorCode.EVALUATION_NOT_FOUND);
    }
    if (invitation.status === 'answered') {
      throw AppError.conflict(FollowUpErrorCode.EVALUATION_ALREADY_ANSWERED, 'This evaluation has already been answered');
    }
    return invitation;
  }
}
