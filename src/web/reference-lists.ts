import { Injectable } from '@nestjs/common';
import type { AccessibilityFeatureDto, MunicipalityDto, ReferenceItemDto, ThemeDto } from '../reference/reference.dto.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { Lang } from './texts.js';

const TTL_MS = 5 * 60_000;

export interface ReferenceLists {
  themes: ThemeDto[];
  formats: ReferenceItemDto[];
  accessibility: AccessibilityFeatureDto[];
  municipalities: MunicipalityDto[];
  counties: { code: string; name: string }[];
}

/** The reference data pages show (themes, formats, places, accessibility features), read once every few minutes. */
@Injectable()
export class ReferenceListsService {
  private cached?: { at: number; lists: Promise<ReferenceLists> };

  constructor(private readonly reference: ReferenceService) {}

  lists(): Promise<ReferenceLists> {
    if (!this.cached || Date.now() - this.cached.at > TTL_MS) {
      const lists = this.load();
      lists.catch(() => (this.cached = undefined));
      this.cached = { at: Date.now(), lists };
    }
    return this.cached.lists;
  }

  /** Each list as form choices (`{ value, text }`) in the language, built once per loaded lists. */
  async choices(lang: Lang): Promise<Record<'themes' | 'formats' | 'accessibility' | 'municipalities' | 'counties', { value: string; text: string }[]>> {
    const lists = await this.lists();
    const cached = this.choiceCache.get(lists)?.[lang];
    if (cached) return cached;
    const name = (item: ReferenceItemDto) => (lang === 'en' ? item.nameEn : item.nameSv);
    const built = {
      themes: lists.themes.map((i) => ({ value: i.code, text: name(i) })),
      formats: lists.formats.map((i) => ({ value: i.code, text: name(i) })),
      accessibility: lists.accessibility.map((i) => ({ value: i.code, text: name(i) })),
      municipalities: lists.municipalities.map((m) => ({ value: m.code, text: `${m.name} (${m.countyName})` })),
      counties: lists.counties.map((c) => ({ value: c.code, text: c.name })),
    };
    this.choiceCache.set(lists, { ...this.choiceCache.get(lists), [lang]: built });
    return built;
  }

  private readonly choiceCache = new WeakMap<ReferenceLists, Partial<Record<Lang, Awaited<ReturnType<ReferenceListsService['choices']>>>>>();

  /** code → name in the language, for every kind. */
  async names(lang: Lang): Promise<Record<string, string>> {
    const lists = await this.lists();
    const name = (item: ReferenceItemDto) => (lang === 'en' ? item.nameEn : item.nameSv);
    return Object.fromEntries([
      ...lists.themes.map((i) => [i.code, name(i)]),
      ...lists.formats.map((i) => [i.code, name(i)]),
      ...lists.accessibility.map((i) => [i.code, name(i)]),
    ]);
  }

  private async load(): Promise<ReferenceLists> {
    const [themes, formats, accessibility, municipalities] = await Promise.all([
      this.reference.themes(),
      this.reference.formats(),
      this.reference.accessibilityFeatures(),
      this.reference.municipalities(),
    ]);
    const counties = [...new Map(municipalities.map((m) => [m.countyCode, { code: m.countyCode, name: m.countyName }])).values()].sort((a, b) => a.code.localeCompare(b.code));
    return { themes, formats, accessibility, municipalities, counties };
  }
}
