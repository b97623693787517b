import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '../database/prepared-query.js';
import { HeavyReads } from '../database/read-gate.js';
import {
  CANDIDATE_DETAILS_SQL,
  COVERAGE_SQL,
  PROVIDER_DEMAND_SQL,
  RECOMMENDATIONS_SQL,
  REFERENCE_SQL,
  STATEMENT_MATCHES_SQL,
  statementNeedsSql,
} from './matching.sql.js';
import type { Candidate, FeatureNames, Need, Season, ThemeParents } from './scoring.js';

/** Both waitlist modes ('offer', 'auto') take people when a session is full, so a full session keeps its place with a waitlist reason. */
export const WAITLIST_OPEN = true;

export interface NeedRow {
  id: string;
  round_id: string;
  organisation_id: string;
  person_user_id: string | null;
  theme_code: string;
  related_themes: string[];
  formats: string[];
  municipality_code: string | null;
  county_code: string | null;
  online: boolean;
  accessibility: string[];
  period_from: Date | null;
  period_to: Date | null;
  seasons: string[];
  target_group: 'social_economy' | 'public_sector' | null;
  languages: string[];
}

export interface CandidateRow {
  session_id: string;
  starts_at: Date;
  ends_at: Date;
  municipality_code: string | null;
  municipality_name: string | null;
  county_code: string | null;
  online: boolean;
  capacity: number;
  seats_taken: number;
  waitlist_mode: string;
  booking_closes_at: Date;
  requires_approval: boolean;
  offering_id: string;
  title: string;
  provider_id: string;
  provider_name: string;
  theme_codes: string[];
  format: string;
  language: string;
  target_groups: string[];
  accessibility_features: string[];
  price_sek: number;
}

export interface CoverageRow {
  theme_code: string;
  county_code: string;
  county_name: string;
  people: number;
  seats: number;
  local_seats: number;
  online_seats: number;
  sessions: number;
  gap: number;
  best: { offeringId: string; title: string; providerName: string; score: number }[];
}

export interface ProviderDemandRow {
  theme_code: string;
  county_code: string;
  county_name: string;
  people: number;
  offered: boolean;
  seats: number;
}

export function toNeed(row: NeedRow): Need {
  return {
    themeCode: row.theme_code,
    preferredFormats: row.formats,
    municipalityCode: row.municipality_code,
    countyCode: row.county_code,
    online: row.online,
    accessibilityNeeds: row.accessibility,
    period: row.period_from && row.period_to ? { from: new Date(row.period_from), to: new Date(row.period_to) } : null,
    seasons: row.seasons as Season[],
    targetGroup: row.target_group,
    languages: row.languages,
  };
}

export function toCandidate(row: CandidateRow): Candidate {
  return {
    themeCodes: row.theme_codes,
    format: row.format,
    municipalityCode: row.municipality_code,
    countyCode: row.county_code,
    online: row.online,
    accessibilityFeatures: row.accessibility_features,
    startsAt: new Date(row.starts_at),
    seatsLeft: row.capacity - row.seats_taken,
    waitlistOpen: WAITLIST_OPEN,
    targetGroups: row.target_groups,
    language: row.language,
  };
}

/** The matching module's read queries (see matching.sql.ts); it reads the catalogue's and the needs module's tables in SQL, never through loaded entities. */
@Injectable()
export class MatchingRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly heavyReads: HeavyReads,
  ) {}

  private referenceOnce?: Promise<{ parents: ThemeParents; features: FeatureNames }>;

  /**
   * Theme parents and feature names for the model's reasons. Reference data changes only through
   * migrations, which run before the app serves, so it is read once per process (again after a failed read).
   */
  reference(): Promise<{ parents: ThemeParents; features: FeatureNames }> {
    this.referenceOnce ??= this.readReference().catch((error: unknown) => {
      this.referenceOnce = undefined;
      throw error;
    });
    return this.referenceOnce;
  }

  private async readReference(): Promise<{ parents: ThemeParents; features: FeatureNames }> {
    const rows = await queryPrepared<{ kind: string; code: string; a: string; b: string | null }>(this.dataSource, REFERENCE_SQL, []);
    const parents = new Map<string, string>();
    const features = new Map<string, { sv: string; en: string }>();
    for (const row of rows) {
      if (row.kind === 'theme') parents.set(row.code, row.a);
      else features.set(row.code, { sv: row.a, en: row.b ?? row.a });
    }
    return { parents, features };
  }

  async statementNeed(statementId: string): Promise<NeedRow | null> {
    const [row] = (await this.dataSource.query(statementNeedsSql('st.id = $1'), [statementId])) as NeedRow[];
    return row ?? null;
  }

  /**
   * One page of recommendations with what the model and the response need of its sessions, the
   * total and the person's needs (RECOMMENDATIONS_SQL: one round trip; the needs are read only when
   * the page has sessions, in the order the statements were made).
   */
  async recommendations(
    userId: string,
    themeCode: string | null,
    now: Date,
    limit: number,
    offset: number,
  ): Promise<{ rows: (CandidateRow & { score: number })[]; total: number; needs: NeedRow[] }> {
    type PageRow = CandidateRow & { score: number };
    const rows = await this.heavyReads.run(() =>
      queryPrepared<(PageRow | { session_id: null }) & { total: number; needs: NeedRow[] | null }>(this.dataSource, RECOMMENDATIONS_SQL, [
        userId,
        themeCode ? [themeCode] : [],
        now,
        limit,
        offset,
      ]),
    );
    return {
      rows: rows.filter((row): row is typeof row & PageRow => row.session_id !== null),
      total: rows[0]?.total ?? 0,
      needs: rows[0]?.needs ?? [],
    };
  }

  async statementMatches(statementId: string, now: Date, limit: number, offset: number) {
    const unordered = (await this.dataSource.query(STATEMENT_MATCHES_SQL, [statementId, now, limit, offset])) as {
      session_id: string | null;
      starts_at: Date | null;
      score: number;
      accessible: boolean;
      matched: number;
      excluded: number;
    }[];
    const rows = unordered.sort(
      (a, b) => b.score - a.score || (a.starts_at?.getTime() ?? 0) - (b.starts_at?.getTime() ?? 0) || ((a.session_id ?? '') < (b.session_id ?? '') ? -1 : 1),
    );
    return {
      matched: rows.filter((r) => r.session_id !== null && r.accessible).map((r) => ({ sessionId: r.session_id!, score: r.score })),
      excluded: rows.filter((r) => r.session_id !== null && !r.accessible).map((r) => ({ sessionId: r.session_id!, score: r.score })),
      matchedTotal: rows[0]?.matched ?? 0,
      excludedTotal: rows[0]?.excluded ?? 0,
    };
  }

  async candidates(sessionIds: string[]): Promise<Map<string, CandidateRow>> {
    if (sessionIds.length === 0) return new Map();
    const rows = await queryPrepared<CandidateRow>(this.dataSource, CANDIDATE_DETAILS_SQL, [sessionIds]);
    return new Map(rows.map((row) => [row.session_id, row]));
  }

  coverage(roundId: string, now: Date): Promise<CoverageRow[]> {
    return this.dataSource.query(COVERAGE_SQL, [roundId, now]);
  }

  async offeredThemes(providerId: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT unnest(theme_codes) AS code FROM offerings WHERE provider_id = $1 AND status = 'published' ORDER BY 1`,
      [providerId],
    )) as { code: string }[];
    return rows.map((r) => r.code);
  }

  providerDemand(roundId: string, now: Date, providerId: string): Promise<ProviderDemandRow[]> {
    return this.dataSource.query(PROVIDER_DEMAND_SQL, [roundId, now, providerId]);
  }
}
