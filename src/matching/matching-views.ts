import type { AnsweredStatementDto, MatchedOfferingDto, MatchedSessionDto } from './dto/matching.dto.js';
import type { CandidateRow, NeedRow } from './matching.repository.js';

const iso = (value: Date | string) => new Date(value).toISOString();

export function offeringOf(row: CandidateRow): MatchedOfferingDto {
  return {
    id: row.offering_id,
    title: row.title,
    providerId: row.provider_id,
    providerName: row.provider_name,
    themeCodes: row.theme_codes,
    format: row.format,
    language: row.language,
    targetGroups: row.target_groups,
    accessibilityFeatures: row.accessibility_features,
    priceSek: row.price_sek,
  };
}

export function sessionOf(row: CandidateRow): MatchedSessionDto {
  return {
    id: row.session_id,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    countyCode: row.county_code,
    online: row.online,
    capacity: row.capacity,
    seatsLeft: row.capacity - row.seats_taken,
    waitlistMode: row.waitlist_mode,
    bookingClosesAt: iso(row.booking_closes_at),
    requiresApproval: row.requires_approval,
  };
}

export function statementOf(row: NeedRow): AnsweredStatementDto {
  return { id: row.id, roundId: row.round_id, organisationId: row.organisation_id, themeCode: row.theme_code, personal: row.person_user_id !== null };
}

/** The candidate shares the need's theme or a related one (what the SQL prefilter selects). */
export function sharesTheme(need: NeedRow, candidate: CandidateRow): boolean {
  return candidate.theme_codes.some((code) => code === need.theme_code || need.related_themes.includes(code));
}
