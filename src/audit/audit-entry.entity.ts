import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Who did what to whom, and when: invitations, removals, role changes, exports, erasures.
 * Holds ids only (no names or emails), so it survives a person's erasure without keeping their data.
 */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_occurred', ['occurredAt'])
@Index('ix_audit_log_organisation', ['organisationId', 'occurredAt'])
export class AuditEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', primaryKeyConstraintName: 'pk_audit_log' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** Null for actions by the system or by someone not signed in (accepting an invitation link). */
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'varchar', length: 60 })
  action: string;

  @Column({ name: 'subject_user_id', type: 'uuid', nullable: true })
  subjectUserId: string | null;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
