import { Module } from '@nestjs/common';
import { WebhookOutboxModule } from '../integrations/webhook-outbox.module.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { ReferenceModule } from '../reference/reference.module.js';
import { CatalogueImportController } from './catalogue-import.controller.js';
import { CatalogueImportService } from './catalogue-import.service.js';
import { CatalogueReference } from './catalogue-reference.js';
import { CatalogueSupplyService } from './catalogue-supply.service.js';
import { CatalogueViews } from './catalogue-views.js';
import { OfferingSearchService } from './offering-search.service.js';
import { OfferingsController } from './offerings.controller.js';
import { OfferingsService } from './offerings.service.js';
import { ProviderAccess } from './provider-access.service.js';
import { ProviderStaffService } from './provider-staff.service.js';
import { CataloguePages } from './pages/catalogue.page.js';
import { ProvidersController } from './providers.controller.js';
import { ProvidersService } from './providers.service.js';
import { SessionEvents } from './session-events.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [InvitationsModule, ReferenceModule, WebhookOutboxModule],
  controllers: [ProvidersController, OfferingsController, SessionsController, CatalogueImportController, CataloguePages],
  providers: [
    ProviderAccess,
    SessionEvents,
    CatalogueSupplyService,
    CatalogueReference,
    CatalogueViews,
    ProvidersService,
    ProviderStaffService,
    OfferingsService,
    OfferingSearchService,
    SessionsService,
    CatalogueImportService,
  ],
  exports: [ProviderAccess, SessionEvents, CatalogueSupplyService, SessionsService, OfferingsService, ProvidersService, ProviderStaffService, CatalogueImportService],
})
export class CatalogueModule {}
