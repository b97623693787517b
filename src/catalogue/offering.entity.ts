import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Format } from '../reference/reference.entities.js';
import { Provider } from './provider.entity.js';

export const OFFERING_STATUSES = ['draft', 'published', 'archived'] as const;
export type OfferingStatus = (typeof OFFERING_STATUSES)[number];
export const TARGET_GROUPS = ['social_economy', 'public_sector'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];
export const LEVELS = ['introductory', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];


/**
 * A course as a provider publishes it. Themes, target groups and accessibility features are code
 * arrays (validated against reference data by the service) so that filters are array operators
 * over GIN indexes.
 */
@Entity({ name: 'offerings' })
@Check('ck_offerings_price', '"price_sek" >= 0')
// GIN indexes for the array filters; created in the migration by hand (TypeORM cannot express GIN).
@Index('ix_offerings_theme_codes', { synchronize: false })
@Index('ix_offerings_accessibility_features', { synchronize: false })
@Index('ix_offerings_target_groups', { synchronize: false })
@Index('ix_offerings_provider', ['providerId'])
@Index('ix_offerings_status', ['status'])
@Unique('uq_offerings_provider_course_code', ['providerId', 'courseCode'])
// Search: one multi-column GIN over the tsvector, the filtered arrays and `places` (OfferingPlaces migration).
@Index('ix_offerings_search', { synchronize: false })
export class Offering {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_offerings' })
  id: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'fk_offerings_provider' })
  provider?: Provider;

  /** The provider's own code for the course (unique per provider): what a catalogue import matches on. */
  @Column({ name: 'course_code', type: 'varchar', length: 60, nullable: true })
  courseCode: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'theme_codes', type: 'varchar', length: 60, array: true })
  themeCodes: string[];

  @Column({ type: 'varchar', length: 60 })
  format: string;

  @ManyToOne(() => Format, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'format', foreignKeyConstraintName: 'fk_offerings_format' })
  formatRef?: Format;

  /** ISO 639-1, e.g. sv, en. */
  @Column({ type: 'varchar', length: 5, default: 'sv' })
  language: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  level: Level | null;

  @Column({ name: 'target_groups', type: 'varchar', length: 30, array: true })
  targetGroups: TargetGroup[];

  @Column({ name: 'accessibility_features', type: 'varchar', length: 60, array: true, default: () => "'{}'" })
  accessibilityFeatures: string[];

  @Column({ type: 'numeric', precision: 6, scale: 1, nullable: true })
  hours: string | null;

  /** 0 for courses funded by the programme. */
  @Column({ name: 'price_sek', type: 'int', default: 0 })
  priceSek: number;

  @Column({ name: 'contact_email', type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  @Column({ type: 'varchar', length: 12, default: 'draft' })
  status: OfferingStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  /**
   * Swedish full-text document (title weighs more than description), kept by a trigger from
   * OFFERING_SEARCH_VECTOR_SQL (see the CatalogueSearch migration); searched with `@@` and ranked
   * with ts_rank. Never selected or written by the application.
   */
  @Column({ name: 'search_vector', type: 'tsvector', select: false, insert: false, update: false, nullable: true })
  searchVector?: string;

  /**
   * Where the offering has scheduled sessions: municipality codes, `county:<code>`, `online`. Kept
   * by a trigger on sessions (see the OfferingPlaces migration) to narrow search candidates in its
   * GIN index; never selected or written by the application.
   */
  @Column({ name: 'places', type: 'varchar', array: true, default: () => "'{}'", select: false, insert: false, update: false })
  places?: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
