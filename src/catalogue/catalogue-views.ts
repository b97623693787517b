import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OfferingDto } from './dto/offering.dto.js';
import type { SessionDto } from './dto/session.dto.js';
import type { Level, OfferingStatus, TargetGroup } from './offering.entity.js';
import type { SessionStatus, WaitlistMode } from './session.entity.js';

export interface SessionRow {
  id: string;
  offering_id: string;
  starts_at: Date | string;
  ends_at: Date | string;
  municipality_code: string | null;
  municipality_name: string | null;
  county_code: string | null;
  online: boolean;
  venue: string | null;
  online_url: string | null;
  capacity: number;
  seats_taken: number;
  booking_opens_at: Date | string | null;
  booking_closes_at: Date | string;
  cancellation_deadline: Date | string | null;
  requires_approval: boolean;
  waitlist_mode: WaitlistMode;
  status: SessionStatus;
  cancellation_reason: string | null;
}

export interface OfferingRow {
  id: string;
  provider_id: string;
  provider_name: string;
  title: string;
  description: string;
  theme_codes: string[];
  format: string;
  language: string;
  level: Level | null;
  target_groups: TargetGroup[];
  accessibility_features: string[];
  hours: string | null;
  price_sek: number;
  contact_email: string | null;
  status: OfferingStatus;
  published_at: Date | null;
  archived_at: Date | null;
}

/** Columns of a session as the API shows it (with its municipality); `s` and `m` are the aliases. */
export const SESSION_COLUMNS = `s.id, s.offering_id, s.starts_at, s.ends_at, s.municipality_code, m.name AS municipality_name,
  m.county_code, s.online, s.venue, s.online_url, s.capacity, s.seats_taken, s.booking_opens_at, s.booking_closes_at,
  s.cancellation_deadline, s.requires_approval, s.waitlist_mode, s.status, s.cancellation_reason`;

export const OFFERING_COLUMNS = `o.id, o.provider_id, p.name AS provider_name, o.title, o.description, o.theme_codes, o.format,
  o.language, o.level, o.target_groups, o.accessibility_features, o.hours, o.price_sek, o.contact_email, o.status,
  o.published_at, o.archived_at`;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * A timestamptz as JSON in SQL, exactly as `Date.prototype.toISOString` writes it. The colons are
 * quoted literals (`":"`), so that no `:NAME` appears in the text for pgbench to take as a variable.
 */
const isoSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24":"MI":"SS.MS"Z"')`;

/**
 * A session as the public sees it (`toSessionDto(row, false)`), built as JSON in SQL so that a
 * search page goes from the database to the client without being parsed and serialised again.
 * `s` and `m` are the aliases. Kept field for field in step with toSessionDto: the search e2e test
 * compares the two.
 */
export const PUBLIC_SESSION_JSON = `json_build_object('id', s.id, 'offeringId', s.offering_id,
  'startsAt', ${isoSql('s.starts_at')}, 'endsAt', ${isoSql('s.ends_at')}, 'municipalityCode', s.municipality_code,
  'municipalityName', m.name, 'countyCode', m.county_code, 'online', s.online, 'venue', s.venue, 'onlineUrl', NULL,
  'capacity', s.capacity, 'seatsLeft', s.capacity - s.seats_taken, 'bookingOpensAt', ${isoSql('s.booking_opens_at')},
  'bookingClosesAt', ${isoSql('s.booking_closes_at')}, 'cancellationDeadline', ${isoSql('s.cancellation_deadline')},
  'requiresApproval', s.requires_approval, 'waitlistMode', s.waitlist_mode, 'status', s.status,
  'cancellationReason', s.cancellation_reason)`;

/**
 * The fields of `toOfferingDto` as `json_build_object` arguments (without `sessions`); `o` and `p`
 * are the aliases. Same rule as PUBLIC_SESSION_JSON.
 */
export const OFFERING_JSON_FIELDS = `'id', o.id, 'providerId', o.provider_id, 'providerName', p.name, 'title', o.title,
  'description', o.description, 'themeCodes', o.theme_codes, 'format', o.format, 'language', o.language, 'level', o.level,
  'targetGroups', o.target_groups, 'accessibilityFeatures', o.accessibility_features, 'hours', o.hours::float8,
  'priceSek', o.price_sek, 'contactEmail', o.contact_email, 'status', o.status,
  'publishedAt', ${isoSql('o.published_at')}, 'archivedAt', ${isoSql('o.archived_at')}`;

/** Maps a session row; the online link only for the provider's staff and coordinators. */
export function toSessionDto(row: SessionRow, showOnlineUrl: boolean): SessionDto {
  return {
    id: row.id,
    offeringId: row.offering_id,
    startsAt: iso(row.starts_at)!,
    endsAt: iso(row.ends_at)!,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    countyCode: row.county_code,
    online: row.online,
    venue: row.venue,
    onlineUrl: showOnlineUrl ? row.online_url : null,
    capacity: row.capacity,
    seatsLeft: row.capacity - row.seats_taken,
    bookingOpensAt: iso(row.booking_opens_at),
    bookingClosesAt: iso(row.booking_closes_at)!,
    cancellationDeadline: iso(row.cancellation_deadline),
    requiresApproval: row.requires_approval,
    waitlistMode: row.waitlist_mode,
    status: row.status,
    cancellationReason: row.cancellation_reason,
  };
}

export function toOfferingDto(row: OfferingRow, sessions: SessionDto[]): OfferingDto {
  return {
    id: row.id,
    providerId: row.provider_id,
    providerName: row.provider_name,
    title: row.title,
    description: row.description,
    themeCodes: row.theme_codes,
    format: row.format,
    language: row.language,
    level: row.level,
    targetGroups: row.target_groups,
    accessibilityFeatures: row.accessibility_features,
    hours: row.hours === null ? null : Number(row.hours),
    priceSek: row.price_sek,
    contactEmail: row.contact_email,
    status: row.status,
    publishedAt: iso(row.published_at),
    archivedAt: iso(row.archived_at),
    sessions,
  };
}

/** Read queries shared by the offering and session services. */
@Injectable()
export class CatalogueViews {
  async offerings(manager: EntityManager, ids: string[], showOnlineUrl: boolean): Promise<OfferingDto[]> {
    if (ids.length === 0) return [];
    const rows = (await manager.query(
      `SELECT ${OFFERING_COLUMNS} FROM offerings o JOIN providers p ON p.id = o.provider_id WHERE o.id = ANY($1::uuid[])`,
      [ids],
    )) as OfferingRow[];
    const sessions = (await manager.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions s LEFT JOIN municipalities m ON m.code = s.municipality_code
        WHERE s.offering_id = ANY($1::uuid[]) ORDER BY s.starts_at, s.id`,
      [ids],
    )) as SessionRow[];
    const byOffering = new Map<string, SessionDto[]>();
    for (const row of sessions) {
      byOffering.set(row.offering_id, [...(byOffering.get(row.offering_id) ?? []), toSessionDto(row, showOnlineUrl)]);
    }
    const byId = new Map(rows.map((row) => [row.id, toOfferingDto(row, byOffering.get(row.id) ?? [])]));
    return ids.map((id) => byId.get(id)).filter((dto): dto is OfferingDto => dto !== undefined);
  }

  async session(manager: EntityManager, id: string, showOnlineUrl: boolean): Promise<SessionDto | null> {
    const [row] = (await manager.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions s LEFT JOIN municipalities m ON m.code = s.municipality_code WHERE s.id = $1`,
      [id],
    )) as SessionRow[];
    return row ? toSessionDto(row, showOnlineUrl) : null;
  }
}
