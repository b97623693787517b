import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../auth/user.entity.js';
import { Municipality, Theme } from '../reference/reference.entities.js';
import type { Period, Priority, TimeOfDay } from './needs.codes.js';
import { NeedsRoundOrganisation } from './needs-round.entity.js';

/**
 * A need stated in a round (Q1, Q2, Q4, Q9): a theme, how many people (of whom women, men, other),
 * how and when. Either the organisation's (stated by an org admin) or one employee's own
 * (`person_user_id` set, people = 1: personal data, exported and erased with the person).
 */
@Entity({ name: 'needs_statements' })
@Check('ck_needs_statements_people', '"people" BETWEEN 1 AND 100000')
@Check(
  'ck_needs_statements_gender',
  '"women" >= 0 AND "men" >= 0 AND "other_gender" >= 0 AND COALESCE("women", 0) + COALESCE("men", 0) + COALESCE("other_gender", 0) <= "people"',
)
@Index('ix_needs_statements_round_org', ['roundId', 'organisationId'])
@Index('ix_needs_statements_person', ['personUserId'])
export class NeedsStatement {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_needs_statements' })
  id: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** Only invited organisations can state needs: the row references the invitation. */
  @ManyToOne(() => NeedsRoundOrganisation, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'round_id', referencedColumnName: 'roundId', foreignKeyConstraintName: 'fk_needs_statements_round_organisation' },
    { name: 'organisation_id', referencedColumnName: 'organisationId', foreignKeyConstraintName: 'fk_needs_statements_round_organisation' },
  ])
  invitee?: NeedsRoundOrganisation;

  /** Set for an employee's personal need. */
  @Column({ name: 'person_user_id', type: 'uuid', nullable: true })
  personUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'person_user_id', foreignKeyConstraintName: 'fk_needs_statements_person' })
  person?: User;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ name: 'theme_code', type: 'varchar', length: 60 })
  themeCode: string;

  @ManyToOne(() => Theme, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'theme_code', foreignKeyConstraintName: 'fk_needs_statements_theme' })
  theme?: Theme;

  @Column({ type: 'int' })
  people: number;

  @Column({ type: 'int', nullable: true })
  women: number | null;

  @Column({ type: 'int', nullable: true })
  men: number | null;

  @Column({ name: 'other_gender', type: 'int', nullable: true })
  otherGender: number | null;

  /** Format codes, most preferred first. */
  @Column({ name: 'preferred_formats', type: 'varchar', length: 60, array: true })
  preferredFormats: string[];

  @Column({ name: 'municipality_code', type: 'char', length: 4, nullable: true })
  municipalityCode: string | null;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code', foreignKeyConstraintName: 'fk_needs_statements_municipality' })
  municipality?: Municipality;

  @Column({ type: 'boolean', default: false })
  online: boolean;

  @Column({ name: 'preferred_periods', type: 'varchar', length: 10, array: true, default: () => "'{}'" })
  preferredPeriods: Period[];

  @Column({ name: 'preferred_time_of_day', type: 'varchar', length: 10, nullable: true })
  preferredTimeOfDay: TimeOfDay | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  priority: Priority | null;

  @Column({ name: 'accessibility_needs', type: 'varchar', length: 60, array: true, default: () => "'{}'" })
  accessibilityNeeds: string[];

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
