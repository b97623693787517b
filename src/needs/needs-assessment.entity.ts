import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PlanStatus } from './needs.codes.js';
import { NeedsRoundOrganisation } from './needs-round.entity.js';

/** An organisation's answers in a round (Q5–Q8, Q10–Q12); one per organisation per round, replaced by PUT. */
@Entity({ name: 'needs_assessments' })
@Check('ck_needs_assessments_accessibility_knowledge', '"accessibility_knowledge" BETWEEN 1 AND 5')
export class NeedsAssessment {
  @PrimaryColumn({ name: 'round_id', type: 'uuid', primaryKeyConstraintName: 'pk_needs_assessments' })
  roundId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid', primaryKeyConstraintName: 'pk_needs_assessments' })
  organisationId: string;

  @ManyToOne(() => NeedsRoundOrganisation, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'round_id', referencedColumnName: 'roundId', foreignKeyConstraintName: 'fk_needs_assessments_round_organisation' },
    { name: 'organisation_id', referencedColumnName: 'organisationId', foreignKeyConstraintName: 'fk_needs_assessments_round_organisation' },
  ])
  invitee?: NeedsRoundOrganisation;

  @Column({ name: 'gender_plan', type: 'varchar', length: 20, nullable: true })
  genderPlan: PlanStatus | null;

  @Column({ name: 'gender_trained', type: 'boolean', nullable: true })
  genderTrained: boolean | null;

  @Column({ name: 'gender_wants_training', type: 'boolean', nullable: true })
  genderWantsTraining: boolean | null;

  @Column({ name: 'accessibility_knowledge', type: 'smallint', nullable: true })
  accessibilityKnowledge: number | null;

  @Column({ name: 'accessibility_wants_training', type: 'boolean', nullable: true })
  accessibilityWantsTraining: boolean | null;

  @Column({ name: 'support_needs', type: 'varchar', length: 40, array: true, default: () => "'{}'" })
  supportNeeds: string[];

  @Column({ name: 'support_comment', type: 'varchar', length: 2000, nullable: true })
  supportComment: string | null;

  /** Provider ids from the catalogue (held as ids; the catalogue owns providers). */
  @Column({ name: 'preferred_provider_ids', type: 'uuid', array: true, default: () => "'{}'" })
  preferredProviderIds: string[];

  @Column({ name: 'preferred_providers_other', type: 'varchar', length: 1000, nullable: true })
  preferredProvidersOther: string | null;

  @Column({ name: 'follow_up_methods', type: 'varchar', length: 40, array: true, default: () => "'{}'" })
  followUpMethods: string[];

  @Column({ name: 'follow_up_comment', type: 'varchar', length: 2000, nullable: true })
  followUpComment: string | null;

  @Column({ type: 'varchar', length: 40, array: true, default: () => "'{}'" })
  channels: string[];

  @Column({ name: 'channels_other', type: 'varchar', length: 1000, nullable: true })
  channelsOther: string | null;

  @Column({ name: 'cooperating_projects', type: 'varchar', length: 200, array: true, default: () => "'{}'" })
  cooperatingProjects: string[];

  @Column({ name: 'cooperation_comment', type: 'varchar', length: 2000, nullable: true })
  cooperationComment: string | null;

  @Column({ name: 'updated_by_user_id', type: 'uuid', nullable: true })
  updatedByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
