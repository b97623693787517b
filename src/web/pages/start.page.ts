import { Get } from '@nestjs/common';
import { BookingQueriesService } from '../../bookings/booking-queries.service.js';
import { Clock } from '../../common/clock.js';
import { RecommendationsService } from '../../matching/recommendations.service.js';
import { NeedsRoundsService } from '../../needs/needs-rounds.service.js';
import '../../bookings/pages/texts.js';
import '../../catalogue/pages/texts.js';
import { Anonymous, Page, PageContext, WebController } from '../page.js';
import './texts.js';

const UPCOMING = ['confirmed', 'pending_approval', 'waitlisted', 'offered'];

/**
 * The start page. Signed out: what the programme is, a search, sign in. Signed in: recommended
 * sessions for my needs with their reasons, my upcoming bookings, open needs rounds I may answer.
 */
@WebController()
export class StartPage {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly bookings: BookingQueriesService,
    private readonly rounds: NeedsRoundsService,
    private readonly clock: Clock,
  ) {}

  @Anonymous()
  @Get()
  async show(@Page() page: PageContext): Promise<void> {
    const me = page.user;
    if (!me) return page.render('web/pages/start.njk', {});
    const now = this.clock.now().toISOString();
    const [recommended, mine, rounds] = await Promise.all([
      this.recommendations.forMe(me, { limit: 5, offset: 0 }),
      this.bookings.mine(me, { limit: 50, offset: 0 }),
      this.rounds.list(me, { limit: 20, offset: 0 }),
    ]);
    page.render('web/pages/start.njk', {
      recommended: recommended.items,
      upcoming: mine.items.filter((b) => UPCOMING.includes(b.status) && b.session.startsAt > now).slice(0, 5),
      rounds: rounds.items.filter((r) => r.acceptingStatements),
    });
  }
}
