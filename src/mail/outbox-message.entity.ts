import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { OutboxRow } from '../common/outbox-row.js';

export type { OutboxStatus } from '../common/outbox-queue.js';

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
@Index('ix_mail_outbox_due', ['status', 'nextAttemptAt'], { where: `"status" IN ('pending', 'sending')` })
export class OutboxMessage extends OutboxRow {
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

  /** Stable Message-ID so that a resend after a crash can be recognised by the receiver. */
  @Column({ name: 'message_id', type: 'varchar', length: 200 })
  messageId: string;
}
