import { Module, OnModuleInit } from '@nestjs/common';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { PersonalDataRegistry } from '../common/personal-data.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ApiKeysController } from './api-keys.controller.js';
import { OrganisationWebhookPages, ProgrammeWebhookPages } from './pages/owner-webhooks.page.js';
import { WebhookPages } from './pages/webhook-pages.js';
import { ProviderApiKeysService } from './provider-api-keys.service.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookOutboxModule } from './webhook-outbox.module.js';

/**
 * Webhook endpoints and their delivery log, providers' API keys; the webhook pages of every owner
 * (WebhookPages, which the provider's integrations page uses too), organisations' and the programme's.
 */
@Module({
  imports: [AuthModule, AuditModule, CatalogueModule, OrganisationsModule, WebhookOutboxModule],
  controllers: [WebhookEndpointsController, ApiKeysController, OrganisationWebhookPages, ProgrammeWebhookPages],
  providers: [WebhookEndpointsService, ProviderApiKeysService, WebhookPages],
  exports: [WebhookEndpointsService, ProviderApiKeysService, WebhookPages],
})
export class IntegrationsModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** Who registered an endpoint or made a key: exported, and forgotten at erasure (the endpoints and keys are their owners'). */
  onModuleInit(): void {
    this.personalData.register({
      key: 'integrations',
      export: async (manager, userId) => ({
        webhookEndpoints: (
          (await manager.query('SELECT id, url, created_at FROM webhook_endpoints WHERE created_by_user_id = $1 ORDER BY created_at', [userId])) as {
            id: string;
            url: string;
            created_at: Date;
          }[]
        ).map((row) => ({ id: row.id, url: row.url, createdAt: row.created_at.toISOString() })),
        apiKeys: await this.apiKeys.madeBy(manager, userId),
      }),
      erase: async (manager, userId) => {
        await manager.query('UPDATE webhook_endpoints SET created_by_user_id = NULL WHERE created_by_user_id = $1', [userId]);
        await this.apiKeys.forgetMaker(manager, userId);
      },
    });
  }
}
