import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'municipalities' })
@Index('ix_municipalities_county', ['countyCode'])
export class Municipality {
  /** Official SCB code, e.g. 0380 (Uppsala). */
  @PrimaryColumn({ type: 'char', length: 4, primaryKeyConstraintName: 'pk_municipalities' })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'county_code', type: 'char', length: 2 })
  countyCode: string;

  @Column({ name: 'county_name', type: 'varchar', length: 100 })
  countyName: string;
}

@Entity({ name: 'themes' })
export class Theme {
  @PrimaryColumn({ type: 'varchar', length: 60, primaryKeyConstraintName: 'pk_themes' })
  code: string;

  @Column({ name: 'name_sv', type: 'varchar', length: 200 })
  nameSv: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn: string;

  /** Themes may be grouped under a broader theme; matching gives partial credit for the parent. */
  @Column({ name: 'parent_code', type: 'varchar', length: 60, nullable: true })
  parentCode: string | null;

  @Column({ name: 'sort_order', type: 'int', default: 0 })
  sortOrder: number;
}

@Entity({ name: 'formats' })
export class Format {
  @PrimaryColumn({ type: 'varchar', length: 60, primaryKeyConstraintName: 'pk_formats' })
  code: string;

  @Column({ name: 'name_sv', type: 'varchar', length: 200 })
  nameSv: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn: string;

  @Column({ name: 'sort_order', type: 'int', default: 0 })
  sortOrder: number;
}

@Entity({ name: 'accessibility_features' })
export class AccessibilityFeature {
  @PrimaryColumn({ type: 'varchar', length: 60, primaryKeyConstraintName: 'pk_accessibility_features' })
  code: string;

  @Column({ name: 'name_sv', type: 'varchar', length: 200 })
  nameSv: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn: string;

  /** venue, hearing, vision, cognitive, other */
  @Column({ type: 'varchar', length: 20 })
  category: string;

  @Column({ name: 'sort_order', type: 'int', default: 0 })
  sortOrder: number;
}
