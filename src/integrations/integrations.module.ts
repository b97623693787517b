import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ProviderApiKeysService } from './provider-api-keys.service.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookOutboxModule } from './webhook-outbox.module.js';

/** Webhook endpoints and their delivery log, providers' API keys. */
@Module({
  imports: [AuthModule, AuditModule, CatalogueModule, OrganisationsModule, WebhookOutboxModule],
  controllers: [WebhookEndpointsController, ApiKeysController],
  providers: [WebhookEndpointsService, ProviderApiKeysService],
})
export class IntegrationsModule {}
