import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import { NeedsErrorCode } from './needs.errors.js';
import { NeedsRound } from './needs-round.entity.js';

export interface Participation {
  /** Invited organisations where the caller is org_admin (all invited ones for coordinators: see `coordinator`). */
  adminOrganisationIds: string[];
  /** Invited organisations where the caller is an employee. */
  employeeOrganisationIds: string[];
  coordinator: boolean;
}

/**
 * Who may see a round and take part in it. Coordinators: everything. Members of an invited
 * organisation: the round, their organisation's statements (admins) or their own (employees).
 * Provider staff: an opened round and its suppressed demand view. Unknown round → 404, no part → 403.
 */
@Injectable()
export class NeedsAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async round(id: string, manager: EntityManager = this.dataSource.manager, lock?: 'pessimistic_read' | 'pessimistic_write'): Promise<NeedsRound> {
    const round = await manager.getRepository(NeedsRound).findOne({ where: { id }, ...(lock ? { lock: { mode: lock } } : {}) });
    if (!round) throw AppError.notFound('Needs round', NeedsErrorCode.ROUND_NOT_FOUND);
    return round;
  }

  async participation(user: AuthUser, roundId: string, manager: EntityManager = this.dataSource.manager): Promise<Participation> {
    const rows = (await manager.query(
      `SELECT m.organisation_id, m.role FROM organisation_members m
         JOIN needs_round_organisations i ON i.organisation_id = m.organisation_id AND i.round_id = $2
        WHERE m.user_id = $1`,
      [user.id, roundId],
    )) as { organisation_id: string; role: string }[];
    return {
      coordinator: user.globalRole === 'coordinator',
      adminOrganisationIds: rows.filter((r) => r.role === 'org_admin').map((r) => r.organisation_id),
      employeeOrganisationIds: rows.filter((r) => r.role !== 'org_admin').map((r) => r.organisation_id),
    };
  }

  /** Coordinators and members of invited organisations. */
  async requireParticipant(user: AuthUser, roundId: string, manager?: EntityManager): Promise<{ round: NeedsRound; participation: Participation }> {
    const round = await this.round(roundId, manager);
    const participation = await this.participation(user, roundId, manager);
    if (!participation.coordinator && participation.adminOrganisationIds.length + participation.employeeOrganisationIds.length === 0) {
      throw AppError.forbidden('Your organisation is not invited to this round', NeedsErrorCode.ROUND_ACCESS_DENIED);
    }
    return { round, participation };
  }

  /** Participants, and provider staff once the round is opened. */
  async requireReader(user: AuthUser, roundId: string): Promise<NeedsRound> {
    const round = await this.round(roundId);
    if (user.globalRole === 'coordinator') return round;
    const participation = await this.participation(user, roundId);
    if (participation.adminOrganisationIds.length + participation.employeeOrganisationIds.length > 0) return round;
    if (round.status !== 'draft' && (await this.isProviderStaff(user.id))) return round;
    throw AppError.forbidden('Your organisation is not invited to this round', NeedsErrorCode.ROUND_ACCESS_DENIED);
  }

  /** Coordinators and provider staff (the suppressed demand view). */
  async requireDemandReader(user: AuthUser, roundId: string): Promise<NeedsRound> {
    const round = await this.round(roundId);
    if (user.globalRole === 'coordinator') return round;
    if (round.status !== 'draft' && (await this.isProviderStaff(user.id))) return round;
    throw AppError.forbidden('Only coordinators and course providers see the demand view', NeedsErrorCode.ROUND_ACCESS_DENIED);
  }

  /** Whether the person works for any course provider (the catalogue's provider_staff role). */
  async isProviderStaff(userId: string): Promise<boolean> {
    const rows = (await this.dataSource.query('SELECT 1 FROM provider_staff WHERE user_id = $1 LIMIT 1', [userId])) as unknown[];
    return rows.length > 0;
  }

  /** Statements and assessments are taken only while the round is open and within its dates. */
  assertAccepting(round: NeedsRound, now: Date): void {
    if (round.status !== 'open') {
      throw AppError.conflict(NeedsErrorCode.ROUND_NOT_OPEN, `The round is ${round.status}: it takes no answers`, { status: round.status });
    }
    if (now < round.opensAt || now >= round.closesAt) {
      throw AppError.conflict(NeedsErrorCode.ROUND_OUTSIDE_DATES, 'The round takes answers only between opensAt and closesAt', {
        opensAt: round.opensAt.toISOString(),
        closesAt: round.closesAt.toISOString(),
      });
    }
  }

  static accepting(round: NeedsRound, now: Date): boolean {
    return round.status === 'open' && now >= round.opensAt && now < round.closesAt;
  }
}
