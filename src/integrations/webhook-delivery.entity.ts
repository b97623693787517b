import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OutboxRow } from '../common/outbox-row.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/**
 * One event for one endpoint: an outbox row written in the transaction of the change, claimed and
 * retried by the webhook dispatcher through the shared OutboxQueue. Its id is the `webhook-id`,
 * the same on every attempt, so that a receiver can drop a repeat.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('ix_webhook_deliveries_due', ['status', 'nextAttemptAt'], { where: `"status" IN ('pending', 'sending')` })
@Index('ix_webhook_deliveries_endpoint', ['endpointId', 'createdAt'])
export class WebhookDelivery extends OutboxRow {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_deliveries' })
  id: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_webhook_deliveries_endpoint' })
  endpoint?: WebhookEndpoint;

  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType: string;

  /** The exact JSON that is signed and posted. */
  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;
}
