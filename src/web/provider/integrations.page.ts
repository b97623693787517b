import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { ProviderAccess } from '../../catalogue/provider-access.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { ProviderApiKeysService } from '../../integrations/provider-api-keys.service.js';
import { WEBHOOK_EVENT_TYPES } from '../../integrations/webhook-endpoint.entity.js';
import { WebhookEndpointsService } from '../../integrations/webhook-endpoints.service.js';
import { FormReader } from '../forms.js';
import { Page, PageContext, WebController } from '../page.js';
import { PROVIDER_MORE_TEXTS } from './more-texts.js';
import { providerFor, requireUuid } from './provider-access.js';

const T = 'web/provider/templates';
const KEY_FLASHES = { revoked: 'keyRevoked' } as const;
const WEBHOOK_FLASHES = { tested: 'testSent', off: 'turnedOff', on: 'turnedOn', retried: 'retried' } as const;

/**
 * A provider's integrations (`/anordnare/:providerId/integrationer`): API keys (create: the key is
 * shown once on the answer page; list with name and last use; revoke after a confirmation) and
 * webhook endpoints (create with event types: the secret shown once; rotate the secret; on/off; the
 * delivery log with retry; a test ping). Through the integrations module's services, which check
 * the provider (its staff and coordinators) themselves; the page checks ProviderAccess first too.
 */
@WebController('anordnare')
export class ProviderIntegrationsPages {
  constructor(
    private readonly access: ProviderAccess,
    private readonly keys: ProviderApiKeysService,
    private readonly endpoints: WebhookEndpointsService,
  ) {}

  private provider(page: PageContext, providerId: string) {
    return providerFor(this.access, page, providerId);
  }

  @Get(':providerId/integrationer')
  async overview(@Page() page: PageContext, @Param('providerId') providerId: string, @Query('klart') done?: string): Promise<void> {
    await this.provider(page, providerId);
    const flash = KEY_FLASHES[done as keyof typeof KEY_FLASHES];
    await this.showOverview(page, providerId, { flash: flash ? PROVIDER_MORE_TEXTS[page.lang][flash] : undefined, values: {} });
  }

  private async showOverview(page: PageContext, providerId: string, data: Record<string, unknown>, status = 200): Promise<void> {
    const provider = await this.provider(page, providerId);
    const [keys, endpoints] = await Promise.all([
      this.keys.list(page.me, providerId, { limit: 100, offset: 0 }),
      this.endpoints.list(page.me, { providerId, limit: 100, offset: 0 } as Parameters<WebhookEndpointsService['list']>[1]),
    ]);
    page.render(`${T}/integrations.njk`, { provider, keys: keys.items, endpoints: endpoints.items, ...data }, status);
  }

  @Post(':providerId/integrationer/nycklar')
  async createKey(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const provider = await this.provider(page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const name = form.text('name', { label: t.keyNameField, required: true, max: 100 });
    if (form.errors.any) return this.showOverview(page, providerId, { values: form.values, errors: form.errors }, 400);
    const created = await this.keys.create(page.me, providerId, name);
    page.render(`${T}/shown-once.njk`, { provider, title: t.keyCreatedTitle, lead: t.keyCreatedLead, label: t.keyLabel, secret: created.key, hint: t.keyUse, back: { href: `/anordnare/${providerId}/integrationer`, text: t.backToIntegrations } }, 201);
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

  @Get(':providerId/integrationer/webhookar/ny')
  async newWebhook(@Page() page: PageContext, @Param('providerId') providerId: string): Promise<void> {
    const provider = await this.provider(page, providerId);
    page.render(`${T}/webhook-form.njk`, { provider, eventTypes: WEBHOOK_EVENT_TYPES, values: { events: [] } });
  }

  @Post(':providerId/integrationer/webhookar/ny')
  async createWebhook(@Page() page: PageContext, @Param('providerId') providerId: string, @Body() body: Record<string, unknown>): Promise<void> {
    const provider = await this.provider(page, providerId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const url = form.text('url', { label: t.urlField, required: true, max: 2000 });
    const description = form.text('description', { label: t.descriptionLabel, max: 200 });
    const events = form.list('events', WEBHOOK_EVENT_TYPES, { label: t.eventsField, required: true });
    form.errors.anchor('events', 'events');
    const again = (status: number) => page.render(`${T}/webhook-form.njk`, { provider, eventTypes: WEBHOOK_EVENT_TYPES, values: form.values, errors: form.errors }, status);
    if (form.errors.any) return again(400);
    let created;
    try {
      created = await this.endpoints.create(page.me, { url, events, providerId, ...(description ? { description } : {}) });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      form.errors.add('url', t.urlRefused);
      return again(400);
    }
    page.render(`${T}/shown-once.njk`, {
      provider,
      title: t.secretCreatedTitle,
      lead: t.secretLead,
      label: t.secretLabel,
      secret: created.secret,
      back: { href: `/anordnare/${providerId}/integrationer/webhookar/${created.id}`, text: t.toWebhook },
    }, 201);
  }

  /** The endpoint, when it is this provider's (another owner's → 403 from the service, another provider's id in the path → 404). */
  private async endpoint(page: PageContext, providerId: string, endpointId: string) {
    requireUuid(endpointId);
    const provider = await this.provider(page, providerId);
    const endpoint = await this.endpoints.get(page.me, endpointId);
    if (endpoint.providerId !== providerId) throw AppError.notFound('page');
    return { provider, endpoint };
  }

  @Get(':providerId/integrationer/webhookar/:endpointId')
  async webhook(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('endpointId') endpointId: string, @Query('klart') done?: string, @Query('fel') problem?: string): Promise<void> {
    const { provider, endpoint } = await this.endpoint(page, providerId, endpointId);
    const deliveries = await this.endpoints.deliveries(page.me, endpointId, { limit: 100, offset: 0 } as Parameters<WebhookEndpointsService['deliveries']>[2]);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const flash = WEBHOOK_FLASHES[done as keyof typeof WEBHOOK_FLASHES];
    page.render(`${T}/webhook.njk`, { provider, endpoint, deliveries: deliveries.items, flash: flash ? t[flash] : undefined, problem: problem === 'inFlight' ? t.inFlight : undefined });
  }

  @Post(':providerId/integrationer/webhookar/:endpointId/test')
  async ping(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('endpointId') endpointId: string): Promise<void> {
    await this.endpoint(page, providerId, endpointId);
    await this.endpoints.test(page.me, endpointId);
    page.redirect(`/anordnare/${providerId}/integrationer/webhookar/${endpointId}?klart=tested`);
  }

  @Post(':providerId/integrationer/webhookar/:endpointId/rotera')
  async rotate(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('endpointId') endpointId: string): Promise<void> {
    const { provider } = await this.endpoint(page, providerId, endpointId);
    const t = PROVIDER_MORE_TEXTS[page.lang];
    const { secret } = await this.endpoints.rotateSecret(page.me, endpointId);
    page.render(`${T}/shown-once.njk`, { provider, title: t.secretRotatedTitle, lead: t.secretLead, label: t.secretLabel, secret, back: { href: `/anordnare/${providerId}/integrationer/webhookar/${endpointId}`, text: t.toWebhook } });
  }

  @Post(':providerId/integrationer/webhookar/:endpointId/av')
  async turnOff(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('endpointId') endpointId: string): Promise<void> {
    await this.endpoint(page, providerId, endpointId);
    await this.endpoints.update(page.me, endpointId, { enabled: false });
    page.redirect(`/anordnare/${providerId}/integrationer/webhookar/${endpointId}?klart=off`);
  }

  @Post(':providerId/integrationer/webhookar/:endpointId/pa')
  async turnOn(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('endpointId') endpointId: string): Promise<void> {
    await this.endpoint(page, providerId, endpointId);
    await this.endpoints.update(page.me, endpointId, { enabled: true });
    page.redirect(`/anordnare/${providerId}/integrationer/webhookar/${endpointId}?klart=on`);
  }

  @Post(':providerId/integrationer/webhookar/:endpointId/leveranser/:deliveryId/forsok-igen')
  async retry(@Page() page: PageContext, @Param('providerId') providerId: string, @Param('endpointId') endpointId: string, @Param('deliveryId') deliveryId: string): Promise<void> {
    requireUuid(deliveryId);
    await this.endpoint(page, providerId, endpointId);
    try {
      await this.endpoints.retry(page.me, deliveryId);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      return page.redirect(`/anordnare/${providerId}/integrationer/webhookar/${endpointId}?fel=inFlight`);
    }
    page.redirect(`/anordnare/${providerId}/integrationer/webhookar/${endpointId}?klart=retried`);
  }
}
