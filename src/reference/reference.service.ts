import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AccessibilityFeatureDto, MunicipalityDto, ReferenceItemDto, ThemeDto } from './reference.dto.js';
import { AccessibilityFeature, Format, Municipality, Theme } from './reference.entities.js';

export type ReferenceKind = 'municipality' | 'theme' | 'format' | 'accessibilityFeature';

const ENTITY = { municipality: Municipality, theme: Theme, format: Format, accessibilityFeature: AccessibilityFeature };

/** Reference data is read by every module through this service. */
@Injectable()
export class ReferenceService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async municipalities(): Promise<MunicipalityDto[]> {
    const rows = await this.dataSource.getRepository(Municipality).find({ order: { code: 'ASC' } });
    return rows.map(({ code, name, countyCode, countyName }) => ({ code, name, countyCode, countyName }));
  }

  async themes(): Promise<ThemeDto[]> {
    const rows = await this.dataSource.getRepository(Theme).find({ order: { sortOrder: 'ASC', code: 'ASC' } });
    return rows.map(({ code, nameSv, nameEn, parentCode }) => ({ code, nameSv, nameEn, parentCode }));
  }

  async formats(): Promise<ReferenceItemDto[]> {
    const rows = await this.dataSource.getRepository(Format).find({ order: { sortOrder: 'ASC', code: 'ASC' } });
    return rows.map(({ code, nameSv, nameEn }) => ({ code, nameSv, nameEn }));
  }

  async accessibilityFeatures(): Promise<AccessibilityFeatureDto[]> {
    const rows = await this.dataSource
      .getRepository(AccessibilityFeature)
      .find({ order: { sortOrder: 'ASC', code: 'ASC' } });
    return rows.map(({ code, nameSv, nameEn, category }) => ({ code, nameSv, nameEn, category }));
  }

  /** The codes among `codes` that do not exist, for validation messages that name them. */
  async unknownCodes(kind: ReferenceKind, codes: string[]): Promise<string[]> {
    const unique = [...new Set(codes)];
    if (unique.length === 0) return [];
    const found = await this.dataSource.getRepository(ENTITY[kind]).findBy({ code: In(unique) });
    const known = new Set(found.map((row) => row.code));
    return unique.filter((code) => !known.has(code));
  }
}
