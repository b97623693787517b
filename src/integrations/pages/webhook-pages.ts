import { Body, Get, Injectable, Param, Post, Query } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error.js';
import { FormReader } from '../../web/forms.js';
import { Page, PageContext } from '../../web/page.js';
import type { WebhookEndpointDto } from '../dto/integrations.dto.js';
import { WEBHOOK_EVENT_TYPES, type WebhookOwnerKind } from '../webhook-endpoint.entity.js';
import { WebhookEndpointsService } from '../webhook-endpoints.service.js';
import { WEBHOOK_TEXTS } from './texts.js';

const T = 'integrations/pages/templates';
const SHOWN_ONCE = 'web/templates/shown-once.njk';
const FLASHES = { tested: 'testSent', off: 'turnedOff', on: 'turnedOn', retried: 'retried', saved: 'saved' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whose webhook pages these are, after the page's own access check. */
export interface WebhookOwner {
  kind: WebhookOwnerKind;
  /** The provider's or organisation's id (none for the programme). */
  id: string | null;
  /** Shown over the headings. */
  name: string;
  /** Where the owner's webhook pages live: `<base>/ny`, `<base>/<endpointId>`, … */
  base: string;
  /** The page that lists the endpoints (the provider's integrations page, or `base` itself), as the back link. */
  list: { href: string; text: string };
  /** The back link of the list page itself (the organisation's page, the coordinator's start). */
  home: { href: string; text: string };
}

type Params = Record<string, string>;

/** What the owner's endpoints are listed and made with. */
function scopeOf(owner: WebhookOwner): { providerId?: string; organisationId?: string } {
  if (owner.kind === 'provider') return { providerId: owner.id! };
  return owner.kind === 'organisation' ? { organisationId: owner.id! } : {};
}

/**
 * A provider's, an organisation's and the programme's webhook pages, the same for each owner: the
 * list, adding an endpoint (its secret shown once), changing its URL, events and description, the
 * delivery log with retry, a test ping, rotating the secret, turning it off and on. Through
 * WebhookEndpointsService, which checks the caller's rights; an endpoint of another owner than the
 * path's is the 404 page.
 */
@Injectable()
export class WebhookPages {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** The owner's endpoints (newest first, at most 100). */
  async list(page: PageContext, owner: WebhookOwner): Promise<WebhookEndpointDto[]> {
    const found = await this.endpoints.list(page.me, { ...scopeOf(owner), ownerKind: owner.kind, limit: 100, offset: 0 } as Parameters<WebhookEndpointsService['list']>[1]);
    return found.items;
  }

  async showList(page: PageContext, owner: WebhookOwner): Promise<void> {
    page.render(`${T}/webhooks.njk`, { owner, endpoints: await this.list(page, owner) });
  }

  newForm(page: PageContext, owner: WebhookOwner): void {
    page.render(`${T}/webhook-form.njk`, { owner, eventTypes: WEBHOOK_EVENT_TYPES, values: { events: [] } });
  }

  /** Adds the endpoint, or edits it when `endpoint` is given; the form again (400) with what to correct. */
  async save(page: PageContext, owner: WebhookOwner, body: Record<string, unknown>, endpoint?: WebhookEndpointDto): Promise<void> {
    const t = WEBHOOK_TEXTS[page.lang];
    const form = new FormReader(body, page.t.common.errors);
    const url = form.text('url', { label: t.urlField, required: true, max: 2000 });
    const description = form.text('description', { label: t.descriptionLabel, max: 200 });
    const events = form.list('events', WEBHOOK_EVENT_TYPES, { label: t.eventsField, required: true });
    form.errors.anchor('events', 'events');
    const again = () => page.render(`${T}/webhook-form.njk`, { owner, endpoint, eventTypes: WEBHOOK_EVENT_TYPES, values: form.values, errors: form.errors }, 400);
    if (form.errors.any) return again();
    let created;
    try {
      if (endpoint) {
        await this.endpoints.update(page.me, endpoint.id, { url, events, description });
      } else {
        created = await this.endpoints.create(page.me, { url, events, ...scopeOf(owner), ...(description ? { description } : {}) });
      }
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      form.errors.add('url', t.urlRefused);
      return again();
    }
    if (!created) return page.redirect(`${owner.base}/${endpoint!.id}?klart=saved`);
    page.render(SHOWN_ONCE, { title: t.secretCreatedTitle, lead: t.secretLead, label: t.secretLabel, secret: created.secret, back: { href: `${owner.base}/${created.id}`, text: t.toWebhook } }, 201);
  }

  /** The endpoint, when it is this owner's (another owner's → 403 from the service; another provider's or organisation's in the path → 404). */
  async endpoint(page: PageContext, owner: WebhookOwner, endpointId: string): Promise<WebhookEndpointDto> {
    if (!UUID.test(endpointId)) throw AppError.notFound('page');
    const endpoint = await this.endpoints.get(page.me, endpointId);
    const ownerId = owner.kind === 'provider' ? endpoint.providerId : endpoint.organisationId;
    if (endpoint.ownerKind !== owner.kind || ownerId !== owner.id) throw AppError.notFound('page');
    return endpoint;
  }

  async show(page: PageContext, owner: WebhookOwner, endpointId: string, done?: string, problem?: string): Promise<void> {
    const endpoint = await this.endpoint(page, owner, endpointId);
    const deliveries = await this.endpoints.deliveries(page.me, endpointId, { limit: 100, offset: 0 } as Parameters<WebhookEndpointsService['deliveries']>[2]);
    const t = WEBHOOK_TEXTS[page.lang];
    const flash = FLASHES[done as keyof typeof FLASHES];
    page.render(`${T}/webhook.njk`, { owner, endpoint, deliveries: deliveries.items, flash: flash ? t[flash] : undefined, problem: problem === 'inFlight' ? t.inFlight : undefined });
  }

  async editForm(page: PageContext, owner: WebhookOwner, endpointId: string): Promise<void> {
    const endpoint = await this.endpoint(page, owner, endpointId);
    const values = { url: endpoint.url, description: endpoint.description ?? '', events: endpoint.events };
    page.render(`${T}/webhook-form.njk`, { owner, endpoint, eventTypes: WEBHOOK_EVENT_TYPES, values });
  }

  async edit(page: PageContext, owner: WebhookOwner, endpointId: string, body: Record<string, unknown>): Promise<void> {
    await this.save(page, owner, body, await this.endpoint(page, owner, endpointId));
  }

  async ping(page: PageContext, owner: WebhookOwner, endpointId: string): Promise<void> {
    await this.endpoint(page, owner, endpointId);
    await this.endpoints.test(page.me, endpointId);
    page.redirect(`${owner.base}/${endpointId}?klart=tested`);
  }

  async rotate(page: PageContext, owner: WebhookOwner, endpointId: string): Promise<void> {
    await this.endpoint(page, owner, endpointId);
    const t = WEBHOOK_TEXTS[page.lang];
    const { secret } = await this.endpoints.rotateSecret(page.me, endpointId);
    page.render(SHOWN_ONCE, { title: t.secretRotatedTitle, lead: t.secretLead, label: t.secretLabel, secret, back: { href: `${owner.base}/${endpointId}`, text: t.toWebhook } });
  }

  async turn(page: PageContext, owner: WebhookOwner, endpointId: string, enabled: boolean): Promise<void> {
    await this.endpoint(page, owner, endpointId);
    await this.endpoints.update(page.me, endpointId, { enabled });
    page.redirect(`${owner.base}/${endpointId}?klart=${enabled ? 'on' : 'off'}`);
  }

  async retry(page: PageContext, owner: WebhookOwner, endpointId: string, deliveryId: string): Promise<void> {
    if (!UUID.test(deliveryId)) throw AppError.notFound('page');
    await this.endpoint(page, owner, endpointId);
    try {
      await this.endpoints.retry(page.me, deliveryId);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 409) throw error;
      return page.redirect(`${owner.base}/${endpointId}?fel=inFlight`);
    }
    page.redirect(`${owner.base}/${endpointId}?klart=retried`);
  }
}

/**
 * The webhook routes under `prefix` (relative to the page controller's own path), for a page
 * controller to extend: it answers `owner()` from the path's parameters, checking access first.
 * The list route sends owners whose list lives elsewhere (the provider's integrations page) there.
 */
export function WebhookRoutes(prefix: string) {
  const at = (rest = '') => `${prefix}${rest}`.replace(/^\//, '');

  abstract class Routes {
    constructor(protected readonly webhooks: WebhookPages) {}

    /** The path's owner, when the person may manage its webhooks (403 page otherwise). */
    protected abstract owner(page: PageContext, params: Params): Promise<WebhookOwner>;

    @Get(at())
    async webhookList(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      const owner = await this.owner(page, params);
      if (owner.list.href !== owner.base) return page.redirect(owner.list.href);
      await this.webhooks.showList(page, owner);
    }

    @Get(at('/ny'))
    async newWebhook(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      this.webhooks.newForm(page, await this.owner(page, params));
    }

    @Post(at('/ny'))
    async createWebhook(@Page() page: PageContext, @Param() params: Params, @Body() body: Record<string, unknown>): Promise<void> {
      await this.webhooks.save(page, await this.owner(page, params), body);
    }

    @Get(at('/:endpointId'))
    async webhook(@Page() page: PageContext, @Param() params: Params, @Query('klart') done?: string, @Query('fel') problem?: string): Promise<void> {
      await this.webhooks.show(page, await this.owner(page, params), params.endpointId, done, problem);
    }

    @Get(at('/:endpointId/andra'))
    async editWebhook(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      await this.webhooks.editForm(page, await this.owner(page, params), params.endpointId);
    }

    @Post(at('/:endpointId/andra'))
    async saveWebhook(@Page() page: PageContext, @Param() params: Params, @Body() body: Record<string, unknown>): Promise<void> {
      await this.webhooks.edit(page, await this.owner(page, params), params.endpointId, body);
    }

    @Post(at('/:endpointId/test'))
    async pingWebhook(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      await this.webhooks.ping(page, await this.owner(page, params), params.endpointId);
    }

    @Post(at('/:endpointId/rotera'))
    async rotateWebhookSecret(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      await this.webhooks.rotate(page, await this.owner(page, params), params.endpointId);
    }

    @Post(at('/:endpointId/av'))
    async turnWebhookOff(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      await this.webhooks.turn(page, await this.owner(page, params), params.endpointId, false);
    }

    @Post(at('/:endpointId/pa'))
    async turnWebhookOn(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      await this.webhooks.turn(page, await this.owner(page, params), params.endpointId, true);
    }

    @Post(at('/:endpointId/leveranser/:deliveryId/forsok-igen'))
    async retryWebhookDelivery(@Page() page: PageContext, @Param() params: Params): Promise<void> {
      await this.webhooks.retry(page, await this.owner(page, params), params.endpointId, params.deliveryId);
    }
  }
  return Routes;
}
