import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Offering } from '../catalogue/offering.entity.js';
import { Provider } from '../catalogue/provider.entity.js';
import { Format, Theme } from '../reference/reference.entities.js';

export const FUNDING_SOURCES = ['esf_plus', 'region', 'municipality', 'other'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

export const INTERVENTION_STATUSES = ['proposed', 'approved', 'cancelled'] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];

/**
 * A programme of competence-development interventions (the pre-study's main deliverable), with the
 * money behind it. `unitCostPerHourSek` values participants' time as co-financing; `esfReporting`,
 * `timeCosign` and `finalPaymentYear` are used by ESF reporting (participants, time reports, retention).
 */
@Entity({ name: 'programmes' })
@Check('ck_programmes_period', '"ends_on" >= "starts_on"')
@Check('ck_programmes_budget', '"budget_sek" >= 0')
@Check('ck_programmes_unit_cost', '"unit_cost_per_hour_sek" >= 0')
@Check('ck_programmes_funding_source', `"funding_source" IN ('esf_plus', 'region', 'municipality', 'other')`)
@Check('ck_programmes_final_payment_year', '"final_payment_year" BETWEEN 2000 AND 2100')
export class Programme {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_programmes' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Column({ name: 'funding_source', type: 'varchar', length: 20 })
  fundingSource: FundingSource;

  @Column({ name: 'budget_sek', type: 'bigint' })
  budgetSek: string;

  @Column({ name: 'unit_cost_per_hour_sek', type: 'numeric', precision: 10, scale: 2, nullable: true })
  unitCostPerHourSek: string | null;

  @Column({ name: 'esf_reporting', type: 'boolean', default: false })
  esfReporting: boolean;

  @Column({ name: 'time_cosign', type: 'boolean', default: false })
  timeCosign: boolean;

  @Column({ name: 'final_payment_year', type: 'int', nullable: true })
  finalPaymentYear: number | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * An intervention (insats): what (theme), for whom (target groups, counties), how many (planned
 * participants, women, men), how (format, hours), who delivers (a provider, or null: to procure), at
 * what cost, when. Proposed → approved (→ cancelled). `sourceRoundId` and `explanation` are set when
 * it was drafted from a needs round's coverage.
 */
@Entity({ name: 'interventions' })
@Check('ck_interventions_period', '"ends_on" >= "starts_on"')
@Check('ck_interventions_participants', '"planned_participants" >= 0')
@Check(
  'ck_interventions_gender',
  '"planned_women" >= 0 AND "planned_men" >= 0 AND COALESCE("planned_women", 0) + COALESCE("planned_men", 0) <= "planned_participants"',
)
@Check('ck_interventions_hours', '"hours_per_participant" > 0')
@Check('ck_interventions_cost', '"cost_sek" >= 0')
@Check('ck_interventions_status', `"status" IN ('proposed', 'approved', 'cancelled')`)
@Index('ix_interventions_programme', ['programmeId', 'createdAt'])
@Index('ix_interventions_programme_round', ['programmeId', 'sourceRoundId'])
export class Intervention {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_interventions' })
  id: string;

  @Column({ name: 'programme_id', type: 'uuid' })
  programmeId: string;

  @ManyToOne(() => Programme, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'programme_id', foreignKeyConstraintName: 'fk_interventions_programme' })
  programme?: Programme;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'theme_code', type: 'varchar', length: 60 })
  themeCode: string;

  @ManyToOne(() => Theme, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'theme_code', foreignKeyConstraintName: 'fk_interventions_theme' })
  theme?: Theme;

  @Column({ name: 'target_groups', type: 'varchar', length: 30, array: true })
  targetGroups: string[];

  @Column({ type: 'varchar', length: 60 })
  format: string;

  @ManyToOne(() => Format, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'format', foreignKeyConstraintName: 'fk_interventions_format' })
  formatRef?: Format;

  /** County codes (län), e.g. {03,05}. */
  @Column({ type: 'char', length: 2, array: true })
  counties: string[];

  @Column({ name: 'planned_participants', type: 'int' })
  plannedParticipants: number;

  @Column({ name: 'planned_women', type: 'int', nullable: true })
  plannedWomen: number | null;

  @Column({ name: 'planned_men', type: 'int', nullable: true })
  plannedMen: number | null;

  @Column({ name: 'hours_per_participant', type: 'numeric', precision: 6, scale: 1 })
  hoursPerParticipant: string;

  /** Null: to procure. */
  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId: string | null;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'fk_interventions_provider' })
  provider?: Provider;

  @Column({ name: 'cost_sek', type: 'bigint' })
  costSek: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn: string;

  @Column({ type: 'varchar', length: 12, default: 'proposed' })
  status: InterventionStatus;

  /** The needs round it was drafted from (held as an id: the needs module owns rounds). */
  @Column({ name: 'source_round_id', type: 'uuid', nullable: true })
  sourceRoundId: string | null;

  /** Why the draft proposed these numbers: the coverage cell and the statements behind it. */
  @Column({ type: 'jsonb', nullable: true })
  explanation: Record<string, unknown> | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** An offering whose sessions deliver an intervention; an offering delivers at most one intervention. */
@Entity({ name: 'intervention_offerings' })
@Index('ix_intervention_offerings_intervention', ['interventionId'])
export class InterventionOffering {
  @PrimaryColumn({ name: 'offering_id', type: 'uuid', primaryKeyConstraintName: 'pk_intervention_offerings' })
  offeringId: string;

  @ManyToOne(() => Offering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'offering_id', foreignKeyConstraintName: 'fk_intervention_offerings_offering' })
  offering?: Offering;

  @Column({ name: 'intervention_id', type: 'uuid' })
  interventionId: string;

  @ManyToOne(() => Intervention, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'intervention_id', foreignKeyConstraintName: 'fk_intervention_offerings_intervention' })
  intervention?: Intervention;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** That a programme was drafted from a round: makes draft-from-round idempotent per (programme, round). */
@Entity({ name: 'programme_drafts' })
export class ProgrammeDraft {
  @PrimaryColumn({ name: 'programme_id', type: 'uuid', primaryKeyConstraintName: 'pk_programme_drafts' })
  programmeId: string;

  @PrimaryColumn({ name: 'round_id', type: 'uuid', primaryKeyConstraintName: 'pk_programme_drafts' })
  roundId: string;

  @ManyToOne(() => Programme, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'programme_id', foreignKeyConstraintName: 'fk_programme_drafts_programme' })
  programme?: Programme;

  @Column({ name: 'proposals', type: 'int' })
  proposals: number;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
