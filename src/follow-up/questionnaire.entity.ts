import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Question } from './questionnaire.types.js';

/**
 * A questionnaire version. Once answered it never changes: an edit writes a new row that points
 * back to the one it replaces (`previous_id`), and the old row gets `replaced_by_id`.
 */
@Entity({ name: 'questionnaires' })
@Unique('uq_questionnaires_key', ['key'])
@Index('ix_questionnaires_previous', ['previousId'])
export class Questionnaire {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_questionnaires' })
  id: string;

  /** Stable name of the questionnaires shipped with the system (e.g. `course_evaluation`); null for others. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  key: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'title_en', type: 'varchar', length: 200, nullable: true })
  titleEn: string | null;

  @Column({ type: 'jsonb' })
  questions: Question[];

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ name: 'previous_id', type: 'uuid', nullable: true })
  previousId: string | null;

  @ManyToOne(() => Questionnaire, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'previous_id', foreignKeyConstraintName: 'fk_questionnaires_previous' })
  previous?: Questionnaire;

  @Column({ name: 'replaced_by_id', type: 'uuid', nullable: true })
  replacedById: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
