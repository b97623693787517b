import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module.js';
import { MatchingModule } from '../../matching/matching.module.js';
import { NeedsModule } from '../../needs/needs.module.js';
import { StartPage } from './start.page.js';

/** Pages that bring several modules together (the start page), through those modules' services. */
@Module({
  imports: [MatchingModule, BookingsModule, NeedsModule],
  controllers: [StartPage],
})
export class WebPagesModule {}
