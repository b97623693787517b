import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type InvitationKind = 'organisation' | 'provider';

/**
 * An emailed, single-use invitation to join an organisation (as org_admin or employee) or a
 * provider (as provider_staff). One mechanism for both: the owning module registers how a
 * kind is accepted. At most one open invitation per target and address.
 */
@Entity({ name: 'invitations' })
@Unique('uq_invitations_token_hash', ['tokenHash'])
@Index('uq_invitations_open', ['kind', 'targetId', 'email'], {
  unique: true,
  where: '"accepted_at" IS NULL AND "voided_at" IS NULL',
})
export class Invitation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_invitations' })
  id: string;

  @Column({ type: 'varchar', length: 20 })
  kind: InvitationKind;

  /** The organisation's or provider's id. */
  @Column({ name: 'target_id', type: 'uuid' })
  targetId: string;

  /** Lower-cased. Anonymised when the invited person erases their account. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 30 })
  role: string;

  @Column({ name: 'job_title', type: 'varchar', length: 200, nullable: true })
  jobTitle: string | null;

  /** Language of the email and the page. */
  @Column({ type: 'varchar', length: 2, default: 'sv' })
  locale: 'sv' | 'en';

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'accepted_by_user_id', type: 'uuid', nullable: true })
  acceptedByUserId: string | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @Column({ name: 'invited_by_user_id', type: 'uuid', nullable: true })
  invitedByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
