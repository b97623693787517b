import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: string;
  /** e.g. 'REQUEST' for calendar invitations */
  method?: string;
}

/**
 * One email to send. Written in the same transaction as the change that causes it; the
 * dedupe key makes writing it twice a no-op. The dispatcher claims due rows with
 * FOR UPDATE SKIP LOCKED, so any number of instances can run it.
 */
@Entity({ name: 'mail_outbox' })
@Unique('uq_mail_outbox_dedupe_key', ['dedupeKey'])
@Index('ix_mail_outbox_due', ['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_mail_outbox' })
  id: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 300 })
  dedupeKey: string;

  @Column({ name: 'to_address', type: 'varchar', length: 254 })
  toAddress: string;

  @Column({ type: 'varchar', length: 80 })
  template: string;

  @Column({ type: 'varchar', length: 2 })
  locale: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ name: 'text_body', type: 'text' })
  textBody: string;

  @Column({ name: 'html_body', type: 'text' })
  htmlBody: string;

  @Column({ type: 'jsonb', nullable: true })
  attachments: OutboxAttachment[] | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  /** While `sending`, the claim is held until then; a crashed sender's rows are claimed again after it. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Stable Message-ID so that a resend after a crash can be recognised by the receiver. */
  @Column({ name: 'message_id', type: 'varchar', length: 200 })
  messageId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
