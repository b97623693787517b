import { Column, CreateDateColumn } from 'typeorm';
import type { OutboxStatus } from './outbox-queue.js';

/**
 * The columns OutboxQueue claims and retries by, shared by every outbox table (mail_outbox,
 * webhook_deliveries): an entity extends this class and adds what it sends.
 */
export abstract class OutboxRow {
  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  /**
   * Earlier versions' claims (`sending` until then). Senders now hold rows under a row lock instead,
   * and still claim rows an earlier sender left `sending` once this has passed.
   */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
