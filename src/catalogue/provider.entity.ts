import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Municipality } from '../reference/reference.entities.js';

export const PROVIDER_KINDS = ['university', 'study_association', 'folk_high_school', 'other'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A course provider: a university, a study association, a folk high school or another provider. */
@Entity({ name: 'providers' })
@Unique('uq_providers_name', ['name'])
export class Provider {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_providers' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 30 })
  kind: ProviderKind;

  @Column({ name: 'org_number', type: 'char', length: 11, nullable: true })
  orgNumber: string | null;

  @Column({ name: 'municipality_code', type: 'char', length: 4, nullable: true })
  municipalityCode: string | null;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code', foreignKeyConstraintName: 'fk_providers_municipality' })
  municipality?: Municipality;

  @Column({ type: 'varchar', length: 300, nullable: true })
  website: string | null;

  @Column({ name: 'contact_email', type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A person who works for a provider (role provider_staff): publishes offerings, sees bookings, records attendance. */
@Entity({ name: 'provider_staff' })
@Unique('uq_provider_staff_provider_user', ['providerId', 'userId'])
@Index('ix_provider_staff_user', ['userId'])
export class ProviderStaff {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_provider_staff' })
  id: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @ManyToOne(() => Provider, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'fk_provider_staff_provider' })
  provider?: Provider;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_provider_staff_user' })
  user?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
