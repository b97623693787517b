import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Municipality } from '../reference/reference.entities.js';

export const LEGAL_FORMS = [
  'ideell_forening',
  'ekonomisk_forening',
  'stiftelse',
  'aktiebolag',
  'trossamfund',
  'kommun',
  'region',
  'statlig_myndighet',
  'other',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export const SECTORS = ['social_economy', 'public'] as const;
export type Sector = (typeof SECTORS)[number];

@Entity({ name: 'organisations' })
@Unique('uq_organisations_org_number', ['orgNumber'])
@Index('ix_organisations_municipality', ['municipalityCode'])
export class Organisation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organisations' })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Normalised NNNNNN-NNNN. */
  @Column({ name: 'org_number', type: 'char', length: 11 })
  orgNumber: string;

  @Column({ name: 'legal_form', type: 'varchar', length: 30 })
  legalForm: LegalForm;

  @Column({ type: 'varchar', length: 20 })
  sector: Sector;

  @Column({ name: 'municipality_code', type: 'char', length: 4 })
  municipalityCode: string;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code', foreignKeyConstraintName: 'fk_organisations_municipality' })
  municipality?: Municipality;

  @Column({ name: 'contact_email', type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  @Column({ name: 'contact_phone', type: 'varchar', length: 40, nullable: true })
  contactPhone: string | null;

  @Column({ name: 'postal_address', type: 'varchar', length: 300, nullable: true })
  postalAddress: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  website: string | null;

  @Column({ name: 'employee_count', type: 'int', nullable: true })
  employeeCount: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
