import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module.js';
import { CatalogueModule } from '../../catalogue/catalogue.module.js';
import { FollowUpModule } from '../../follow-up/follow-up.module.js';
import { MailModule } from '../../mail/mail.module.js';
import { MatchingModule } from '../../matching/matching.module.js';
import { NeedsModule } from '../../needs/needs.module.js';
import { OrganisationsModule } from '../../organisations/organisations.module.js';
import { CoordinatorPages } from './coordinator.page.js';
import { OrganisationsPages } from './organisations.page.js';
import { RoundsPages } from './rounds.page.js';

/** The coordinator's pages (src/web/coordinator), through the modules' services. */
@Module({
  imports: [CatalogueModule, BookingsModule, NeedsModule, MailModule, FollowUpModule, MatchingModule, OrganisationsModule],
  controllers: [CoordinatorPages, RoundsPages, OrganisationsPages],
})
export class CoordinatorPagesModule {}
