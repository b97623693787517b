import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { AppError } from '../common/errors/app-error.js';
import { NeedsErrorCode } from '../needs/needs.errors.js';
import { MatchingErrorCode } from './matching.errors.js';

export interface RoundRef {
  id: string;
  title: string;
  status: string;
}

/**
 * Who may see matching results. A statement's matches: coordinators, admins of the statement's
 * organisation, and the employee whose own statement it is. Unknown round or statement → 404.
 */
@Injectable()
export class MatchingAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async round(roundId: string): Promise<RoundRef> {
    const [round] = (await this.dataSource.query('SELECT id, title, status FROM needs_rounds WHERE id = $1', [roundId])) as RoundRef[];
    if (!round) throw AppError.notFound('Needs round', NeedsErrorCode.ROUND_NOT_FOUND);
    return round;
  }

  /** The most recently opened round (open or closed), for views that default to it. */
  async latestRound(): Promise<RoundRef> {
    const [round] = (await this.dataSource.query(
      `SELECT id, title, status FROM needs_rounds WHERE status <> 'draft' ORDER BY opens_at DESC, id LIMIT 1`,
    )) as RoundRef[];
    if (!round) throw AppError.notFound('Needs round', NeedsErrorCode.ROUND_NOT_FOUND);
    return round;
  }

  async requireStatementReader(user: AuthUser, roundId: string, statementId: string): Promise<void> {
    await this.round(roundId);
    const [statement] = (await this.dataSource.query(
      `SELECT st.person_user_id, EXISTS (SELECT 1 FROM organisation_members om
                                          WHERE om.organisation_id = st.organisation_id AND om.user_id = $3 AND om.role = 'org_admin') AS admin
         FROM needs_statements st WHERE st.id = $1 AND st.round_id = $2`,
      [statementId, roundId, user.id],
    )) as { person_user_id: string | null; admin: boolean }[];
    if (!statement) throw AppError.notFound('Statement', NeedsErrorCode.STATEMENT_NOT_FOUND);
    if (user.globalRole === 'coordinator' || statement.admin || statement.person_user_id === user.id) return;
    throw AppError.forbidden(
      'Only coordinators, the organisation\'s admins and the person who stated the need see its matches',
      MatchingErrorCode.STATEMENT_ACCESS_DENIED,
    );
  }
}
