import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Offering } from '../catalogue/offering.entity.js';
import { Questionnaire } from './questionnaire.entity.js';

/**
 * When evaluations go out after a session: the default plan (no offering) or an offering's own
 * plan, which overrides it. A new plan for the same scope replaces the active one (`active` false).
 */
@Entity({ name: 'follow_up_plans' })
@Index('uq_follow_up_plans_active_scope', ['scope'], { unique: true, where: '"active"' })
@Index('ix_follow_up_plans_offering', ['offeringId'])
export class FollowUpPlan {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_follow_up_plans' })
  id: string;

  /** 'default' or the offering id: one active plan per scope. */
  @Column({ type: 'varchar', length: 40 })
  scope: string;

  @Column({ name: 'offering_id', type: 'uuid', nullable: true })
  offeringId: string | null;

  @ManyToOne(() => Offering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'offering_id', foreignKeyConstraintName: 'fk_follow_up_plans_offering' })
  offering?: Offering;

  /** ISO 8601 duration between reminders; null: no reminders. */
  @Column({ name: 'reminder_after', type: 'varchar', length: 40, nullable: true })
  reminderAfter: string | null;

  @Column({ name: 'max_reminders', type: 'int', default: 0 })
  maxReminders: number;

  /** ISO 8601 duration after the planned send time when the link stops working; null: never. */
  @Column({ name: 'expires_after', type: 'varchar', length: 40, nullable: true })
  expiresAfter: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** One send of a plan: which questionnaire, how long after the session's end. */
@Entity({ name: 'follow_up_plan_steps' })
@Index('uq_follow_up_plan_steps_position', ['planId', 'position'], { unique: true })
@Index('ix_follow_up_plan_steps_questionnaire', ['questionnaireId'])
export class FollowUpPlanStep {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_follow_up_plan_steps' })
  id: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @ManyToOne(() => FollowUpPlan, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plan_id', foreignKeyConstraintName: 'fk_follow_up_plan_steps_plan' })
  plan?: FollowUpPlan;

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => Questionnaire, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'fk_follow_up_plan_steps_questionnaire' })
  questionnaire?: Questionnaire;

  /** ISO 8601 duration after the session's end. */
  @Column({ name: 'send_offset', type: 'varchar', length: 40 })
  sendOffset: string;
}
