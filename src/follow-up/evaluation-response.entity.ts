import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Questionnaire } from './questionnaire.entity.js';
import type { Answers } from './questionnaire.types.js';

/** What an answer holds: what the results are grouped by, the answers, and the day. */
abstract class AnswerColumns {
  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @Column({ name: 'questionnaire_version', type: 'int' })
  questionnaireVersion: number;

  @Column({ name: 'offering_id', type: 'uuid' })
  offeringId: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'theme_codes', type: 'varchar', length: 60, array: true, default: () => "'{}'" })
  themeCodes: string[];

  /** The participant's organisation, for results per organisation; null when they had none. */
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ type: 'jsonb' })
  answers: Answers;

  /** The day of the answer (Stockholm), never the time. */
  @Column({ name: 'answered_on', type: 'date' })
  answeredOn: string;
}

/**
 * An anonymous answer. Deliberately no link to the invitation, the person or the booking; random
 * ids (no serial order to match against invitations) and the date only, never the time. What it
 * does hold is what the results are grouped by.
 */
@Entity({ name: 'evaluation_responses' })
@Index('ix_evaluation_responses_offering', ['offeringId'])
@Index('ix_evaluation_responses_provider', ['providerId'])
@Index('ix_evaluation_responses_organisation', ['organisationId'])
@Index('ix_evaluation_responses_questionnaire', ['questionnaireId'])
export class EvaluationResponse extends AnswerColumns {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_evaluation_responses' })
  id: string;

  @ManyToOne(() => Questionnaire, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'fk_evaluation_responses_questionnaire' })
  questionnaire?: Questionnaire;
}

/**
 * An answer waiting to be mixed (ResponseMixer): written in the answering transaction (so it shares
 * that transaction's xmin with the invitation marked answered) and moved to evaluation_responses, in
 * random order and in another transaction, once enough answers wait or the oldest has waited long
 * enough. The same grouping columns as a response, and no link to the invitation or the person.
 */
@Entity({ name: 'evaluation_response_inbox' })
export class EvaluationResponseInbox extends AnswerColumns {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_evaluation_response_inbox' })
  id: string;

  /** When it arrived: only for the waiting limit; not copied to the response. */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;
}
