import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { affected } from '../database/sql.js';
import type { Locale } from '../auth/auth-user.js';
import type { InviteScope } from './needs.codes.js';

/** An organisation a round invites (or, in a draft, will invite), with whether it has answered. */
export interface RoundInvitee {
  organisationId: string;
  name: string;
  municipalityName: string;
  countyName: string;
  withStatements: boolean;
  withAssessment: boolean;
}

export interface OrganisationAdmin {
  organisationId: string;
  organisationName: string;
  userId: string;
  email: string;
  locale: Locale;
}

/**
 * The organisation data a round needs, read-only: which organisations a scope covers (copied into
 * the round's invitations when it opens) and who their admins are (to email them). Kept in one
 * small repository so that the needs module's reads of organisation data are in one place.
 */
@Injectable()
export class NeedsOrganisationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The ids among `ids` that are registered organisations. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await this.dataSource.query('SELECT id FROM organisations WHERE id = ANY($1::uuid[])', [ids])) as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  /** Invites the organisations in scope: one row each, with location, legal form and sector as they are now. */
  async invite(manager: EntityManager, roundId: string, scope: InviteScope, values: string[], now: Date): Promise<number> {
    const filter = {
      all: 'true',
      counties: 'm.county_code = ANY($3::text[])',
      sectors: 'o.sector = ANY($3::text[])',
      organisations: 'o.id = ANY($3::uuid[])',
    }[scope];
    return affected(
      manager,
      `INSERT INTO needs_round_organisations (round_id, organisation_id, municipality_code, county_code, legal_form, sector, invited_at)
       SELECT $1, o.id, o.municipality_code, m.county_code, o.legal_form, o.sector, $2
         FROM organisations o JOIN municipalities m ON m.code = o.municipality_code
        WHERE ${filter}
       ON CONFLICT DO NOTHING`,
      scope === 'all' ? [roundId, now] : [roundId, now, values],
    );
  }

  /** Admins (not erased) of the given organisations invited to the round. */
  async adminsOf(manager: EntityManager, roundId: string, organisationIds?: string[]): Promise<OrganisationAdmin[]> {
    const rows = (await manager.query(
      `SELECT o.id AS organisation_id, o.name AS organisation_name, u.id AS user_id, u.email, u.locale
         FROM needs_round_organisations i
         JOIN organisations o ON o.id = i.organisation_id
         JOIN organisation_members om ON om.organisation_id = o.id AND om.role = 'org_admin'
         JOIN users u ON u.id = om.user_id AND u.erased_at IS NULL
        WHERE i.round_id = $1 ${organisationIds ? 'AND i.organisation_id = ANY($2::uuid[])' : ''}
        ORDER BY o.id, u.id`,
      organisationIds ? [roundId, organisationIds] : [roundId],
    )) as { organisation_id: string; organisation_name: string; user_id: string; email: string; locale: Locale }[];
    return rows.map((row) => ({
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      userId: row.user_id,
      email: row.email,
      locale: row.locale === 'en' ? 'en' : 'sv',
    }));
  }

  /** The organisations invited to the round, with whether each has stated needs or answered the assessment; by name. */
  async invitees(roundId: string): Promise<RoundInvitee[]> {
    return this.inviteeRows(
      `SELECT o.id, o.name, m.name AS municipality_name, m.county_name,
              EXISTS (SELECT 1 FROM needs_statements s WHERE s.round_id = i.round_id AND s.organisation_id = i.organisation_id) AS st,
              EXISTS (SELECT 1 FROM needs_assessments a WHERE a.round_id = i.round_id AND a.organisation_id = i.organisation_id) AS asm
         FROM needs_round_organisations i
         JOIN organisations o ON o.id = i.organisation_id
         JOIN municipalities m ON m.code = o.municipality_code
        WHERE i.round_id = $1
        ORDER BY o.name, o.id`,
      [roundId],
    );
  }

  /** Organisations by id (a draft round's chosen ones: nobody has answered yet); by name. */
  async organisations(ids: string[]): Promise<RoundInvitee[]> {
    if (ids.length === 0) return [];
    return this.inviteeRows(
      `SELECT o.id, o.name, m.name AS municipality_name, m.county_name, false AS st, false AS asm
         FROM organisations o JOIN municipalities m ON m.code = o.municipality_code
        WHERE o.id = ANY($1::uuid[])
        ORDER BY o.name, o.id`,
      [ids],
    );
  }

  private async inviteeRows(sql: string, params: unknown[]): Promise<RoundInvitee[]> {
    const rows = (await this.dataSource.query(sql, params)) as { id: string; name: string; municipality_name: string; county_name: string; st: boolean; asm: boolean }[];
    return rows.map((row) => ({
      organisationId: row.id,
      name: row.name,
      municipalityName: row.municipality_name,
      countyName: row.county_name,
      withStatements: row.st,
      withAssessment: row.asm,
    }));
  }
}
