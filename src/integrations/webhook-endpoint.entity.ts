import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Provider } from '../catalogue/provider.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';

export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.confirmed',
  'booking.waitlisted',
  'booking.cancelled',
  'booking.approved',
  'booking.rejected',
  'booking.expired',
  'waitlist.promoted',
  'session.cancelled',
  'attendance.recorded',
  'offering.published',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export type WebhookOwnerKind = 'provider' | 'organisation' | 'programme';

/**
 * Where a provider's, an organisation's or the programme's events are posted. The secret signs
 * every delivery (Standard Webhooks); it is stored encrypted with the application key.
 */
@Entity({ name: 'webhook_endpoints' })
@Check(
  'ck_webhook_endpoints_owner',
  `("owner_kind" = 'provider' AND "provider_id" IS NOT NULL AND "organisation_id" IS NULL)
           OR ("owner_kind" = 'organisation' AND "organisation_id" IS NOT NULL AND "provider_id" IS NULL)
           OR ("owner_kind" = 'programme' AND "provider_id" IS NULL AND "organisation_id" IS NULL)`,
)
@Index('ix_webhook_endpoints_provider', ['providerId'])
@Index('ix_webhook_endpoints_organisation', ['organisationId'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_endpoints' })
  id: string;

  @Column({ name: 'owner_kind', type: 'varchar', length: 12 })
  ownerKind: WebhookOwnerKind;

  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId: string | null;

  @ManyToOne(() => Provider, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'fk_webhook_endpoints_provider' })
  provider?: Provider;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_webhook_endpoints_organisation' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 40, array: true })
  events: WebhookEventType[];

  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** gone (the receiver answered 410), failing (failed for days), or null. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 40, nullable: true })
  disabledReason: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  /** Since when every attempt failed (cleared by a success). */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
