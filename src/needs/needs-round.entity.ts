import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity.js';
import type { InviteScope, RoundStatus } from './needs.codes.js';

/** A needs-mapping round: `draft → open → closed`. Statements are taken while open and within opensAt..closesAt. */
@Entity({ name: 'needs_rounds' })
@Check('ck_needs_rounds_dates', '"closes_at" > "opens_at"')
@Index('ix_needs_rounds_status_closes', ['status', 'closesAt'])
export class NeedsRound {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_needs_rounds' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'opens_at', type: 'timestamptz' })
  opensAt: Date;

  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt: Date;

  @Column({ type: 'varchar', length: 10, default: 'draft' })
  status: RoundStatus;

  /** Who is invited: all organisations, or those in some counties, sectors, or a list of ids. */
  @Column({ name: 'invite_scope', type: 'varchar', length: 20 })
  inviteScope: InviteScope;

  /** County codes, sectors or organisation ids, per scope; empty for `all`. */
  @Column({ name: 'invite_values', type: 'varchar', length: 60, array: true, default: () => "'{}'" })
  inviteValues: string[];

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * An organisation invited to a round, resolved when the round opens. The organisation's location,
 * legal form and sector are copied at that moment, so that the round's report describes the
 * organisations as they were when asked (and aggregates without joining other modules' tables).
 */
@Entity({ name: 'needs_round_organisations' })
@Index('ix_needs_round_organisations_org', ['organisationId'])
export class NeedsRoundOrganisation {
  @PrimaryColumn({ name: 'round_id', type: 'uuid', primaryKeyConstraintName: 'pk_needs_round_organisations' })
  roundId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid', primaryKeyConstraintName: 'pk_needs_round_organisations' })
  organisationId: string;

  @ManyToOne(() => NeedsRound, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id', foreignKeyConstraintName: 'fk_needs_round_organisations_round' })
  round?: NeedsRound;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_needs_round_organisations_organisation' })
  organisation?: Organisation;

  @Column({ name: 'municipality_code', type: 'char', length: 4 })
  municipalityCode: string;

  @Column({ name: 'county_code', type: 'char', length: 2 })
  countyCode: string;

  @Column({ name: 'legal_form', type: 'varchar', length: 30 })
  legalForm: string;

  @Column({ type: 'varchar', length: 20 })
  sector: string;

  @Column({ name: 'invited_at', type: 'timestamptz' })
  invitedAt: Date;

  /** Set when the one reminder before closing was sent (claimed with FOR UPDATE SKIP LOCKED). */
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;
}
