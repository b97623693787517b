import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { ProviderAccess } from '../../catalogue/provider-access.service.js';
import { type WebhookOwner, WebhookPages, WebhookRoutes } from '../../integrations/pages/webhook-pages.js';
import { ProviderApiKeysService } from '../../integrations/provider-api-keys.service.js';
import { FormReader } from '../forms.js';
import { Page, PageContext, WebController } from '../page.js';
import { PROVIDER_MORE_TEXTS } from './more-texts.js';
import { providerFor, requireUuid } from './provider-access.js';

const T = 'web/provider/templates';
const KEY_FLASHES = { revoked: 'keyRevoked' } as const;

/**
 * A provider's integrations (`/anordnare/:providerId/integrationer`): API keys (create: the key is
 * shown once on the answer page; list with name and last use; revoke after a confirmation) and
 * webhook endpoints (the shared webhook pages under `…/integrationer/webhookar`, listed here).
 * Through the integrations module's services, which check the provider (its staff and
 * coordinators) themselves; the page checks ProviderAccess first too.
 */
@WebController('anordnare')
export class ProviderIntegrationsPages extends WebhookRoutes(':providerId/integrationer/webhookar') {
  constructor(
    private readonly access: ProviderAccess,
    private readonly keys: ProviderApiKeysService,
    webhooks: WebhookPages,
  ) {
    super(webhooks);
  }

  private provider(page: PageContext, providerId: string) {
    return providerFor(this.access, page, providerId);
  }

  protected async owner(page: PageContext, params: Record<string, string>): Promise<WebhookOwner> {
    const provider = await this.provider(page, params.providerId);
    const integrations = `/anordnare/${provider.id}/integrationer`;
    const back = { href: integrations, text: PROVIDER_MORE_TEXTS[page.lang].integrationsTitle };
    return { kind: 'provider', id: provider.id, name: provider.name, base: `${integrations}/webhookar`, list: back, home: back };
  }

  @Get(':providerId/integrationer')
  async overview(@Page() page: PageContext, @Param('providerId') providerId: string, @Query('klart') done?: string): Promise<void> {
    const flash = KEY_FLASHES[done as keyof typeof KEY_FLASHES];
    await this.showOverview(page, providerId, { flash: flash ? PROVIDER_MORE_TEXTS[page.lang][flash] : undefined, values: {} });
  }

  private async showOverview(page: PageContext, providerId: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const owner = await this.owner(page, { providerId });
    const [keys, endpoints] = await Promise.all([this.keys.list(page.me, providerId, { limit: 100, offset: 0 }), this.webhooks.list(page, owner)]);
    page.render(`${T}/integrations.njk`, { provider: { id: owner.id, name: owner.name }, owner, keys: keys.items, endpoints, ...data }, status);
  }

  @Post(':providerId/integrationer/nycklar')
  async createKey(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const provider = await this.provider(page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const name = form.text('name', { label: t.keyNameField, required: true, max: 100 });
    if (form.errors.any) return this.showOverview(page, providerId, { values: form.values, errors: form.errors }, 400);
    const created = await this.keys.create(page.me, providerId, name);
    page.render('web/templates/shown-once.njk', { provider, title: t.keyCreatedTitle, lead: t.keyCreatedLead, label: t.keyLabel, secret: created.key, hint: t.keyUse, back: { href: `/anordnare/${providerId}/integrationer`, text: t.backToIntegrations } }, 201);
  }

  private async key(page: PageContext, providerId: string, keyId: string) {
    requireUuid(keyId);
    const provider = await this.provider(page, providerId);
    return { provider, key: await this.keys.get(page.me, providerId, keyId) };
  }

  @Get(':providerId/integrationer/nycklar/:keyId/aterkalla')
  async confirmRevoke(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('keyId') keyId: string): Promise<void> {
    const { provider, key } = await this.key(page, providerId, keyId);
    if (key.revokedAt) return page.redirect(`/anordnare/${providerId}/integrationer`);
    page.render(`${T}/key-revoke.njk`, { provider, key });
  }

  @Post(':providerId/integrationer/nycklar/:keyId/aterkalla')
  async revoke(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('keyId') keyId: string): Promise<void> {
    await this.key(page, providerId, keyId);
    await this.keys.revoke(page.me, providerId, keyId);
    page.redirect(`/anordnare/${providerId}/integrationer?klart=revoked`);
  }
}
