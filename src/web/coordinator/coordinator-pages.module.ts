import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module.js';
import { CatalogueModule } from '../../catalogue/catalogue.module.js';
import { FollowUpModule } from '../../follow-up/follow-up.module.js';
import { MailModule } from '../../mail/mail.module.js';
import { NeedsModule } from '../../needs/needs.module.js';
import { CoordinatorPages } from './coordinator.page.js';

/** The coordinator's pages (src/web/coordinator), through the modules' services. */
@Module({
  imports: [CatalogueModule, BookingsModule, NeedsModule, MailModule, FollowUpModule],
  controllers: [CoordinatorPages],
})
export class CoordinatorPagesModule {}
