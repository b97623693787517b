import { Get } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user.js';
import { BookingQueriesService } from '../../bookings/booking-queries.service.js';
import { Clock } from '../../common/clock.js';
import { RecommendationsService } from '../../matching/recommendations.service.js';
import { NeedsRoundsService } from '../../needs/needs-rounds.service.js';
import '../../bookings/pages/texts.js';
import '../../catalogue/pages/texts.js';
import { Anonymous, Page, PageContext, WebController } from '../page.js';
import './texts.js';

/** Recommendations change with needs rounds and the catalogue, not by the second: kept a minute per person. */
const RECOMMENDATIONS_TTL_MS = 60_000;
const RECOMMENDATIONS_KEPT = 5_000;

/**
 * The start page. Signed out: what the programme is, a search, sign in. Signed in: recommended
 * sessions for my needs with their reasons, my upcoming bookings, open needs rounds I may answer
 * (two statements besides the session's, the recommendations kept a minute).
 */
@WebController()
export class StartPage {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly bookings: BookingQueriesService,
    private readonly rounds: NeedsRoundsService,
    private readonly clock: Clock,
  ) {}

  private readonly recent = new Map<string, { at: number; items: Awaited<ReturnType<RecommendationsService['forMe']>>['items'] }>();

  /** The person's recommendations (the matching statement is the costly read of this page), kept a minute in this process. */
  private async recommended(me: AuthUser) {
    const now = Date.now();
    const kept = this.recent.get(me.id);
    if (kept && now - kept.at < RECOMMENDATIONS_TTL_MS) return kept.items;
    const { items } = await this.recommendations.forMe(me, { limit: 5, offset: 0 });
    if (this.recent.size >= RECOMMENDATIONS_KEPT) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(me.id, { at: now, items });
    return items;
  }

  @Anonymous()
  @Get()
  async show(@Page() page: PageContext): Promise<void> {
    const me = page.user;
    if (!me) return page.render('web/pages/start.njk', {});
    const now = this.clock.now();
    const [recommended, upcoming, rounds] = await Promise.all([
      this.recommended(me),
      this.bookings.upcoming(me, now, 5),
      this.rounds.answerableBy(me, now, 20),
    ]);
    page.render('web/pages/start.njk', { recommended, upcoming, rounds });
  }
}
