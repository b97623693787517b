import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface ThemeSupply {
  themeCode: string;
  /** County of the sessions; null for online sessions (reachable from every county). */
  countyCode: string | null;
  /** Published offerings with at least one scheduled session in the period. */
  offerings: number;
  sessions: number;
  /** Capacity of those sessions. */
  seats: number;
  /** Seats not yet taken. */
  seatsLeft: number;
}

/** What other modules read of an offering (programmes link offerings to interventions). */
export interface OfferingSummary {
  id: string;
  providerId: string;
  providerName: string;
  title: string;
  status: string;
  themeCodes: string[];
  format: string;
  accessibilityFeatures: string[];
  hours: number | null;
}

/**
 * Existing supply, for needs reports and coverage (Q3): published offerings and their scheduled
 * sessions starting in a period, per theme and county. Other modules read supply through this
 * service, never the catalogue's tables.
 */
@Injectable()
export class CatalogueSupplyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async byThemeAndCounty(from: Date, to: Date): Promise<ThemeSupply[]> {
    const rows = (await this.dataSource.query(
      `SELECT t.theme_code, CASE WHEN s.online AND s.municipality_code IS NULL THEN NULL ELSE m.county_code END AS county_code,
              count(DISTINCT o.id)::int AS offerings, count(*)::int AS sessions,
              sum(s.capacity)::int AS seats, sum(s.capacity - s.seats_taken)::int AS seats_left
         FROM offerings o
         JOIN sessions s ON s.offering_id = o.id
         LEFT JOIN municipalities m ON m.code = s.municipality_code
         CROSS JOIN LATERAL unnest(o.theme_codes) AS t(theme_code)
        WHERE o.status = 'published' AND s.status = 'scheduled' AND s.starts_at >= $1 AND s.starts_at < $2
        GROUP BY 1, 2
        ORDER BY 1, 2 NULLS LAST`,
      [from, to],
    )) as { theme_code: string; county_code: string | null; offerings: number; sessions: number; seats: number; seats_left: number }[];
    return rows.map((row) => ({
      themeCode: row.theme_code,
      countyCode: row.county_code,
      offerings: row.offerings,
      sessions: row.sessions,
      seats: row.seats,
      seatsLeft: row.seats_left,
    }));
  }

  /** Offerings by id (unknown ids are left out). */
  async offerings(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<OfferingSummary[]> {
    if (ids.length === 0) return [];
    const rows = (await manager.query(
      `SELECT o.id, o.provider_id, p.name AS provider_name, o.title, o.status, o.theme_codes, o.format, o.accessibility_features, o.hours::float8 AS hours
         FROM offerings o JOIN providers p ON p.id = o.provider_id
        WHERE o.id = ANY($1::uuid[]) ORDER BY o.title, o.id`,
      [ids],
    )) as { id: string; provider_id: string; provider_name: string; title: string; status: string; theme_codes: string[]; format: string; accessibility_features: string[]; hours: number | null }[];
    return rows.map((r) => ({
      id: r.id,
      providerId: r.provider_id,
      providerName: r.provider_name,
      title: r.title,
      status: r.status,
      themeCodes: r.theme_codes,
      format: r.format,
      accessibilityFeatures: r.accessibility_features,
      hours: r.hours,
    }));
  }

  /** Offerings that are not archived, by provider and title, for choosing one in a form (a follow-up plan's scope). */
  async offeringChoices(limit = 1000): Promise<{ id: string; title: string; providerName: string }[]> {
    const found = (await this.dataSource.query(
      `SELECT o.id, o.title, p.name AS provider_name FROM offerings o JOIN providers p ON p.id = o.provider_id
        WHERE o.status <> 'archived' ORDER BY p.name, o.title, o.id LIMIT $1`,
      [limit],
    )) as { id: string; title: string; provider_name: string }[];
    return found.map((r) => ({ id: r.id, title: r.title, providerName: r.provider_name }));
  }

  /** Provider names by id (unknown ids are left out). */
  async providerNames(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await manager.query('SELECT id, name FROM providers WHERE id = ANY($1::uuid[])', [ids])) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
