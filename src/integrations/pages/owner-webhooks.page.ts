import { AppError } from '../../common/errors/app-error.js';
import { OrganisationAccess } from '../../organisations/organisation-access.service.js';
import { PageContext, WebController } from '../../web/page.js';
import { WEBHOOK_TEXTS } from './texts.js';
import { type WebhookOwner, WebhookPages, WebhookRoutes } from './webhook-pages.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An organisation's webhook endpoints (`/organisation/:id/webhookar`), for its admins (and
 * coordinators): events about bookings made through the organisation. Others get the 403 page.
 */
@WebController('organisation')
export class OrganisationWebhookPages extends WebhookRoutes(':id/webhookar') {
  constructor(
    private readonly organisations: OrganisationAccess,
    webhooks: WebhookPages,
  ) {
    super(webhooks);
  }

  protected async owner(page: PageContext, params: Record<string, string>): Promise<WebhookOwner> {
    if (!UUID.test(params.id)) throw AppError.notFound('page');
    const organisation = await this.organisations.require(page.me, params.id, 'admin');
    const base = `/organisation/${organisation.id}/webhookar`;
    const w = WEBHOOK_TEXTS[page.lang];
    return {
      kind: 'organisation',
      id: organisation.id,
      name: organisation.name,
      base,
      list: { href: base, text: w.backToWebhooks },
      home: { href: `/organisation/${organisation.id}`, text: organisation.name },
    };
  }
}

/** The programme's webhook endpoints (`/samordning/webhookar`), for coordinators: events about everything. */
@WebController('samordning/webhookar')
export class ProgrammeWebhookPages extends WebhookRoutes('') {
  constructor(webhooks: WebhookPages) {
    super(webhooks);
  }

  protected async owner(page: PageContext): Promise<WebhookOwner> {
    if (page.me.globalRole !== 'coordinator') throw AppError.forbidden('Only coordinators may open this page');
    const w = WEBHOOK_TEXTS[page.lang];
    const base = '/samordning/webhookar';
    return { kind: 'programme', id: null, name: w.programmeName, base, list: { href: base, text: w.backToWebhooks }, home: { href: '/samordning', text: page.t.common.coordination } };
  }
}
