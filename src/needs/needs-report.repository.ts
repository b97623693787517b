import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NeedsAssessment } from './needs-assessment.entity.js';

export interface ResponseCounts {
  invited: number;
  answered: number;
  withStatements: number;
  withAssessment: number;
}

export interface ThemeTotalsRow {
  themeCode: string | null;
  people: number;
  statements: number;
  personalStatements: number;
  organisations: number;
  women: number;
  men: number;
  otherGender: number;
}

export type SplitDimension = 'format' | 'county' | 'municipality' | 'legalForm' | 'sector';

export interface SplitRow {
  dimension: SplitDimension;
  themeCode: string | null;
  key: string;
  people: number;
}

export interface KeyedPeople {
  key: string;
  people: number;
}

/**
 * The report's aggregate SQL (parameter $1: the round id), named so that the benchmark runs exactly
 * the same statements straight through pgbench as its ceiling.
 */
export const REPORT_SQL = {
  responseCounts: `SELECT count(*)::int AS invited,
              count(*) FILTER (WHERE st OR asm)::int AS answered,
              count(*) FILTER (WHERE st)::int AS with_statements,
              count(*) FILTER (WHERE asm)::int AS with_assessment
         FROM (SELECT EXISTS (SELECT 1 FROM needs_statements s WHERE s.round_id = i.round_id AND s.organisation_id = i.organisation_id) AS st,
                      EXISTS (SELECT 1 FROM needs_assessments a WHERE a.round_id = i.round_id AND a.organisation_id = i.organisation_id) AS asm
                 FROM needs_round_organisations i WHERE i.round_id = $1) x`,
  themeTotals: `SELECT theme_code, sum(people)::int AS people, count(*)::int AS statements,
              count(person_user_id)::int AS personal, count(DISTINCT organisation_id)::int AS organisations,
              COALESCE(sum(women), 0)::int AS women, COALESCE(sum(men), 0)::int AS men, COALESCE(sum(other_gender), 0)::int AS other
         FROM needs_statements WHERE round_id = $1
        GROUP BY ROLLUP (theme_code)`,
  splits: `SELECT s.theme_code, GROUPING(s.theme_code) AS g_theme,
              s.preferred_formats[1] AS format, m.county_code AS county, m.code AS municipality, i.legal_form, i.sector,
              GROUPING(s.preferred_formats[1]) AS g_format, GROUPING(m.county_code) AS g_county, GROUPING(m.code) AS g_municipality,
              GROUPING(i.legal_form) AS g_legal_form, GROUPING(i.sector) AS g_sector,
              sum(s.people)::int AS people
         FROM needs_statements s
         JOIN needs_round_organisations i ON i.round_id = s.round_id AND i.organisation_id = s.organisation_id
         JOIN municipalities m ON m.code = COALESCE(s.municipality_code, i.municipality_code)
        WHERE s.round_id = $1
        GROUP BY GROUPING SETS (
          (s.theme_code, s.preferred_formats[1]), (s.preferred_formats[1]),
          (s.theme_code, m.county_code), (m.county_code),
          (s.theme_code, m.code), (m.code),
          (s.theme_code, i.legal_form), (i.legal_form),
          (s.theme_code, i.sector), (i.sector))`,
  organisationSplits: `SELECT preferred_time_of_day, priority, online,
              GROUPING(preferred_time_of_day) AS g_time, GROUPING(priority) AS g_priority, sum(people)::int AS people
         FROM needs_statements WHERE round_id = $1
        GROUP BY GROUPING SETS ((preferred_time_of_day), (priority), (online))`,
  themeCounty: `SELECT s.theme_code, m.county_code, sum(s.people)::int AS people
         FROM needs_statements s
         JOIN needs_round_organisations i ON i.round_id = s.round_id AND i.organisation_id = s.organisation_id
         JOIN municipalities m ON m.code = COALESCE(s.municipality_code, i.municipality_code)
        WHERE s.round_id = $1
        GROUP BY 1, 2 ORDER BY 1, 2`,
  periods: `SELECT v AS key, sum(s.people)::int AS people
         FROM needs_statements s CROSS JOIN LATERAL unnest(s.preferred_periods) AS v
        WHERE s.round_id = $1 GROUP BY v ORDER BY people DESC, v`,
  accessibilityNeeds: `SELECT v AS key, sum(s.people)::int AS people
         FROM needs_statements s CROSS JOIN LATERAL unnest(s.accessibility_needs) AS v
        WHERE s.round_id = $1 GROUP BY v ORDER BY people DESC, v`,
  assessments: `SELECT * FROM needs_assessments WHERE round_id = $1 ORDER BY organisation_id`,
};

/**
 * Per theme and county (where the need is, as themeCounty and matching's coverage): statements,
 * people, the stated gender split, the organisations' sectors, the first 20 statement
 * ids (largest first), and the formats ranked by the people who chose them first, then by the
 * people who listed them at all.
 */
export const DEMAND_CELLS_SQL = `WITH st AS (
         SELECT s.id, s.theme_code, m.county_code, s.people, s.women, s.men, s.other_gender, s.preferred_formats, i.sector
           FROM needs_statements s
           JOIN needs_round_organisations i ON i.round_id = s.round_id AND i.organisation_id = s.organisation_id
           JOIN municipalities m ON m.code = COALESCE(s.municipality_code, i.municipality_code)
          WHERE s.round_id = $1),
       f AS (
         SELECT theme_code, county_code, f.format,
                COALESCE(sum(people) FILTER (WHERE f.rank = 1), 0)::int AS first_choice, sum(people)::int AS listed
           FROM st CROSS JOIN LATERAL unnest(st.preferred_formats) WITH ORDINALITY AS f(format, rank)
          GROUP BY 1, 2, 3),
       fr AS (
         SELECT theme_code, county_code,
                json_agg(json_build_object('format', format, 'firstChoice', first_choice, 'listed', listed)
                         ORDER BY first_choice DESC, listed DESC, format) AS formats
           FROM f GROUP BY 1, 2)
    SELECT c.*, fr.formats
      FROM (SELECT st.theme_code, st.county_code, count(*)::int AS statements, sum(st.people)::int AS people,
                   COALESCE(sum(st.women), 0)::int AS women, COALESCE(sum(st.men), 0)::int AS men, COALESCE(sum(st.other_gender), 0)::int AS other_gender,
                   array_agg(DISTINCT st.sector ORDER BY st.sector) AS sectors,
                   (array_agg(st.id ORDER BY st.people DESC, st.id))[1:20] AS statement_ids
              FROM st GROUP BY st.theme_code, st.county_code) c
      JOIN fr ON fr.theme_code = c.theme_code AND fr.county_code = c.county_code
     ORDER BY 1, 2`;

/** A theme and county's demand in a round, with what is needed to explain a programme's proposal from it. */
export interface DemandCell {
  themeCode: string;
  countyCode: string;
  statements: number;
  people: number;
  women: number;
  men: number;
  otherGender: number;
  /** Sectors of the stating organisations (social_economy, public). */
  sectors: string[];
  /** Up to 20 statement ids, the largest statements first. */
  statementIds: string[];
  /** Formats, most preferred first: people who chose it first, then people who listed it at all. */
  formats: { format: string; firstChoice: number; listed: number }[];
}

/**
 * The report's aggregates, each one pass over the round's statements in SQL (GROUPING SETS), so
 * that the report stays fast at 100 000 statements. Location is where the need is: the stated
 * municipality, or else the organisation's (as it was when invited); online needs count under the
 * organisation's municipality for county splits and apart in the place split.
 */
@Injectable()
export class NeedsReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async responseCounts(roundId: string): Promise<ResponseCounts> {
    const [row] = (await this.dataSource.query(
      REPORT_SQL.responseCounts,
      [roundId],
    )) as { invited: number; answered: number; with_statements: number; with_assessment: number }[];
    return { invited: row.invited, answered: row.answered, withStatements: row.with_statements, withAssessment: row.with_assessment };
  }

  /** Per theme, and a grand total (themeCode null). */
  async themeTotals(roundId: string): Promise<ThemeTotalsRow[]> {
    const rows = (await this.dataSource.query(
      REPORT_SQL.themeTotals,
      [roundId],
    )) as { theme_code: string | null; people: number; statements: number; personal: number; organisations: number; women: number; men: number; other: number }[];
    return rows.map((r) => ({
      themeCode: r.theme_code,
      people: r.people,
      statements: r.statements,
      personalStatements: r.personal,
      organisations: r.organisations,
      women: r.women,
      men: r.men,
      otherGender: r.other,
    }));
  }

  /** People per (theme, key) and per key over all themes, for each dimension. */
  async splits(roundId: string): Promise<SplitRow[]> {
    const rows = (await this.dataSource.query(
      REPORT_SQL.splits,
      [roundId],
    )) as Record<string, string | number | null>[];
    const dims: [SplitDimension, string, string][] = [
      ['format', 'g_format', 'format'],
      ['county', 'g_county', 'county'],
      ['municipality', 'g_municipality', 'municipality'],
      ['legalForm', 'g_legal_form', 'legal_form'],
      ['sector', 'g_sector', 'sector'],
    ];
    return rows.map((row) => {
      const [dimension, , column] = dims.find(([, flag]) => Number(row[flag]) === 0)!;
      return {
        dimension,
        themeCode: Number(row.g_theme) === 0 ? (row.theme_code as string) : null,
        key: String(row[column]),
        people: Number(row.people),
      };
    });
  }

  /** Q9: time of day, priority, and place (online or in person), in people. */
  async organisationSplits(roundId: string): Promise<{ timeOfDay: KeyedPeople[]; priority: KeyedPeople[]; place: KeyedPeople[] }> {
    const rows = (await this.dataSource.query(
      REPORT_SQL.organisationSplits,
      [roundId],
    )) as { preferred_time_of_day: string | null; priority: string | null; online: boolean | null; g_time: number; g_priority: number; people: number }[];
    const out = { timeOfDay: [] as KeyedPeople[], priority: [] as KeyedPeople[], place: [] as KeyedPeople[] };
    for (const row of rows) {
      if (Number(row.g_time) === 0) out.timeOfDay.push({ key: row.preferred_time_of_day ?? 'unspecified', people: row.people });
      else if (Number(row.g_priority) === 0) out.priority.push({ key: row.priority ?? 'unspecified', people: row.people });
      else out.place.push({ key: row.online ? 'online' : 'in_person', people: row.people });
    }
    return out;
  }

  /** People per value of an array column (periods, accessibility needs). */
  async peoplePerArrayValue(roundId: string, column: 'preferred_periods' | 'accessibility_needs'): Promise<KeyedPeople[]> {
    const rows = (await this.dataSource.query(
      column === 'preferred_periods' ? REPORT_SQL.periods : REPORT_SQL.accessibilityNeeds,
      [roundId],
    )) as KeyedPeople[];
    return rows;
  }

  /** Demand per theme and county (for the suppressed view and comparisons). */
  async themeCounty(roundId: string): Promise<{ themeCode: string; countyCode: string; people: number }[]> {
    const rows = (await this.dataSource.query(
      REPORT_SQL.themeCounty,
      [roundId],
    )) as { theme_code: string; county_code: string; people: number }[];
    return rows.map((r) => ({ themeCode: r.theme_code, countyCode: r.county_code, people: r.people }));
  }

  async demandCells(roundId: string, manager: EntityManager = this.dataSource.manager): Promise<DemandCell[]> {
    const rows = (await manager.query(DEMAND_CELLS_SQL, [roundId])) as {
      theme_code: string;
      county_code: string;
      statements: number;
      people: number;
      women: number;
      men: number;
      other_gender: number;
      sectors: string[];
      statement_ids: string[];
      formats: DemandCell['formats'];
    }[];
    return rows.map((r) => ({
      themeCode: r.theme_code,
      countyCode: r.county_code,
      statements: r.statements,
      people: r.people,
      women: r.women,
      men: r.men,
      otherGender: r.other_gender,
      sectors: r.sectors,
      statementIds: r.statement_ids,
      formats: r.formats,
    }));
  }

  assessments(roundId: string): Promise<NeedsAssessment[]> {
    return this.dataSource.getRepository(NeedsAssessment).find({ where: { roundId }, order: { organisationId: 'ASC' } });
  }

  /** Names of the catalogue's providers named in answers (held as ids). */
  async providerNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.dataSource.query('SELECT id, name FROM providers WHERE id = ANY($1::uuid[])', [ids])) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
