import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module.js';
import { CatalogueModule } from '../../catalogue/catalogue.module.js';
import { FollowUpModule } from '../../follow-up/follow-up.module.js';
import { IntegrationsModule } from '../../integrations/integrations.module.js';
import { NeedsModule } from '../../needs/needs.module.js';
import { ProviderImportPages } from './import.page.js';
import { ProviderInsightsPages } from './insights.page.js';
import { ProviderIntegrationsPages } from './integrations.page.js';
import { ProviderPages } from './provider.page.js';
import { SessionEditPages } from './session-edit.page.js';
import { ProviderStaffPages } from './staff.page.js';

/** Provider staff's pages (src/web/provider), through the catalogue's, bookings', needs', follow-up's and integrations' services. */
@Module({
  imports: [CatalogueModule, BookingsModule, IntegrationsModule, NeedsModule, FollowUpModule],
  controllers: [ProviderPages, ProviderStaffPages, SessionEditPages, ProviderInsightsPages, ProviderIntegrationsPages, ProviderImportPages],
})
export class ProviderPagesModule {}
