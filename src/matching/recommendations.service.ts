import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors/app-error.js';
import type { Page } from '../common/pagination.js';
import { ReferenceService } from '../reference/reference.service.js';
import type { RecommendationDto, RecommendationsQueryDto, StatementMatchesDto } from './dto/matching.dto.js';
import { MatchingAccess } from './matching-access.service.js';
import { offeringOf, sessionOf, sharesTheme, statementOf } from './matching-views.js';
import { MatchingRepository, toCandidate, toNeed } from './matching.repository.js';
import { scoreMatch } from './scoring.js';

/**
 * Recommendations and a statement's matches. The database ranks and pages (matching.sql.ts, the
 * model compiled to SQL); the model itself (scoreMatch) explains the page's items.
 */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly repository: MatchingRepository,
    private readonly access: MatchingAccess,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  async forMe(user: AuthUser, query: RecommendationsQueryDto): Promise<Page<RecommendationDto>> {
    const themeCode = query.themeCode ?? null;
    if (themeCode && (await this.reference.unknownCodes('theme', [themeCode])).length > 0) {
      throw AppError.validation('themeCode', `unknown theme: ${themeCode}`);
    }
    const page = await this.repository.recommendations(user.id, themeCode, this.clock.now(), query.limit, query.offset);
    if (page.rows.length === 0) return { items: [], total: page.total };
    const { parents, features } = await this.repository.reference();
    const items: RecommendationDto[] = [];
    for (const candidate of page.rows) {
      const answered = page.needs
        .filter((need) => sharesTheme(need, candidate))
        .map((need) => ({ need, match: scoreMatch(toNeed(need), toCandidate(candidate), parents, features) }))
        .flatMap(({ need, match }) => (match.excluded ? [] : [{ need, match }]))
        .sort((a, b) => b.match.score - a.match.score);
      if (answered.length === 0) continue;
      items.push({
        offering: offeringOf(candidate),
        session: sessionOf(candidate),
        score: answered[0].match.score,
        reasons: answered[0].match.reasons,
        statements: answered.map(({ need }) => statementOf(need)),
      });
    }
    return { items, total: page.total };
  }

  async statementMatches(user: AuthUser, roundId: string, statementId: string, limit: number, offset: number): Promise<StatementMatchesDto> {
    await this.access.requireStatementReader(user, roundId, statementId);
    const needRow = (await this.repository.statementNeed(statementId))!;
    const result = await this.repository.statementMatches(statementId, this.clock.now(), limit, offset);
    const [candidates, { parents, features }] = await Promise.all([
      this.repository.candidates([...result.matched, ...result.excluded].map((r) => r.sessionId)),
      this.repository.reference(),
    ]);
    const need = toNeed(needRow);
    const scored = (rows: { sessionId: string }[]) =>
      rows.flatMap(({ sessionId }) => {
        const candidate = candidates.get(sessionId);
        return candidate ? [{ candidate, match: scoreMatch(need, toCandidate(candidate), parents, features) }] : [];
      });
    return {
      statement: statementOf(needRow),
      items: scored(result.matched).flatMap(({ candidate, match }) =>
        match.excluded ? [] : [{ offering: offeringOf(candidate), session: sessionOf(candidate), score: match.score, reasons: match.reasons }],
      ),
      total: result.matchedTotal,
      excluded: {
        items: scored(result.excluded).flatMap(({ candidate, match }) =>
          match.excluded ? [{ offering: offeringOf(candidate), session: sessionOf(candidate), reason: match.reason }] : [],
        ),
        total: result.excludedTotal,
      },
    };
  }
}
