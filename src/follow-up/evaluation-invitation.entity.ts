import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Questionnaire } from './questionnaire.entity.js';

export const INVITATION_STATUSES = ['scheduled', 'sent', 'answered', 'opted_out', 'expired', 'cancelled'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * One evaluation a person who attended is asked to answer (one per plan step). It records only
 * *that* the person answered (`answered_at`): the answer itself is stored apart, with no link back.
 * Due rows are claimed by the dispatcher with FOR UPDATE SKIP LOCKED.
 */
@Entity({ name: 'evaluation_invitations' })
@Index('uq_evaluation_invitations_booking_step', ['bookingId', 'stepPosition'], { unique: true })
@Index('ix_evaluation_invitations_due', ['status', 'dueAt'])
@Index('ix_evaluation_invitations_reminder', ['status', 'nextReminderAt'])
@Index('ix_evaluation_invitations_user', ['userId'])
@Index('ix_evaluation_invitations_offering', ['offeringId'])
export class EvaluationInvitation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_evaluation_invitations' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_evaluation_invitations_user' })
  user?: User;

  /** The booking whose attendance caused it (owned by the bookings module: no foreign key). */
  @Column({ name: 'booking_id', type: 'uuid' })
  bookingId: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @Column({ name: 'offering_id', type: 'uuid' })
  offeringId: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ name: 'theme_codes', type: 'varchar', length: 60, array: true, default: () => "'{}'" })
  themeCodes: string[];

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @Column({ name: 'step_position', type: 'int' })
  stepPosition: number;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => Questionnaire, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'fk_evaluation_invitations_questionnaire' })
  questionnaire?: Questionnaire;

  @Column({ type: 'varchar', length: 2, default: 'sv' })
  locale: 'sv' | 'en';

  @Column({ type: 'varchar', length: 12, default: 'scheduled' })
  status: InvitationStatus;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'reminder_after', type: 'varchar', length: 40, nullable: true })
  reminderAfter: string | null;

  @Column({ name: 'max_reminders', type: 'int', default: 0 })
  maxReminders: number;

  @Column({ name: 'reminders_sent', type: 'int', default: 0 })
  remindersSent: number;

  @Column({ name: 'next_reminder_at', type: 'timestamptz', nullable: true })
  nextReminderAt: Date | null;

  /** The day (Stockholm) it was answered, never the time: a time would order the anonymous answers. */
  @Column({ name: 'answered_at', type: 'date', nullable: true })
  answeredAt: string | null;

  @Column({ name: 'opted_out_at', type: 'timestamptz', nullable: true })
  optedOutAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * The link tokens of an invitation: each email (the invitation and every reminder) carries a fresh
 * 32-byte token; only its SHA-256 is stored. Any of them opens the same invitation.
 */
@Entity({ name: 'evaluation_tokens' })
@Index('ix_evaluation_tokens_invitation', ['invitationId'])
export class EvaluationToken {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64, primaryKeyConstraintName: 'pk_evaluation_tokens' })
  tokenHash: string;

  @Column({ name: 'invitation_id', type: 'uuid' })
  invitationId: string;

  @ManyToOne(() => EvaluationInvitation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invitation_id', foreignKeyConstraintName: 'fk_evaluation_tokens_invitation' })
  invitation?: EvaluationInvitation;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
