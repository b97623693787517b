import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../auth/user.entity.js';

export const GENDERS = ['woman', 'man', 'non_binary_other', 'prefer_not_to_say'] as const;
export const EDUCATION_LEVELS = ['isced_0_2', 'isced_3_4', 'isced_5_8', 'unknown'] as const;
export const EMPLOYMENT_TYPES = ['permanent', 'fixed_term', 'hourly', 'subsidised', 'other'] as const;
export const DISABILITY_ANSWERS = ['yes', 'no', 'prefer_not_to_say'] as const;

/** What a person tells the programme for its participant statistics. Every field is optional. */
@Entity({ name: 'person_profiles' })
export class PersonProfile {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_person_profiles' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_person_profiles_user' })
  user?: User;

  @Column({ type: 'varchar', length: 20, nullable: true })
  gender: (typeof GENDERS)[number] | null;

  @Column({ name: 'birth_year', type: 'smallint', nullable: true })
  birthYear: number | null;

  @Column({ name: 'education_level', type: 'varchar', length: 20, nullable: true })
  educationLevel: (typeof EDUCATION_LEVELS)[number] | null;

  @Column({ name: 'employment_type', type: 'varchar', length: 20, nullable: true })
  employmentType: (typeof EMPLOYMENT_TYPES)[number] | null;

  /** Codes of accessibility features the person needs. A need is not a diagnosis. */
  @Column({ name: 'accessibility_needs', type: 'varchar', length: 60, array: true, default: () => "'{}'" })
  accessibilityNeeds: string[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * Special-category data (GDPR art. 9), kept apart from the profile: returned only to the person
 * themselves, and elsewhere only ever counted in aggregates.
 */
@Entity({ name: 'person_sensitive_data' })
export class PersonSensitiveData {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_person_sensitive_data' })
  userId: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_person_sensitive_data_user' })
  user?: User;

  @Column({ type: 'varchar', length: 20, nullable: true })
  disability: (typeof DISABILITY_ANSWERS)[number] | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
