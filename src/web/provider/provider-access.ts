import type { OfferingsService } from '../../catalogue/offerings.service.js';
import type { ProviderAccess } from '../../catalogue/provider-access.service.js';
import type { SessionsService } from '../../catalogue/sessions.service.js';
import { AppError } from '../../common/errors/app-error.js';
import type { PageContext } from '../page.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A page's ids from the path: anything but a UUID is the 404 page, before anything is read. */
export function requireUuid(...ids: string[]): void {
  for (const id of ids) if (!UUID.test(id)) throw AppError.notFound('page');
}

/** The provider in the path, when the person acts for it (its staff, a coordinator); others get 403. */
export function providerFor(access: ProviderAccess, page: PageContext, providerId: string) {
  requireUuid(providerId);
  return access.require(page.me, providerId);
}

/** A session with its offering, after the access check (the API shows published sessions to anyone). */
export async function managedSession(services: { access: ProviderAccess; sessions: SessionsService; offerings: OfferingsService }, page: PageContext, id: string) {
  requireUuid(id);
  const provider = await services.access.requireForSession(page.me, id);
  const session = await services.sessions.get(page.me, id);
  const offering = await services.offerings.get(page.me, session.offeringId);
  return { provider, session, offering };
}
