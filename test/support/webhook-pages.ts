import type { TestContext } from './context.js';

/**
 * An endpoint registered through the API by someone who manages it (`scope`: providerId,
 * organisationId, or neither for the programme's), with one test delivery in its log.
 */
export async function givenWebhookEndpoint(t: TestContext, who: { auth: { Authorization: string } }, scope: { providerId?: string; organisationId?: string }, url = 'https://hooks.example.se/kl') {
  const endpoint = (await t.app.http.post('/api/v1/webhook-endpoints').set(who.auth).send({ url, events: ['booking.created'], ...scope }).expect(201)).body as { id: string };
  const delivery = (await t.app.http.post(`/api/v1/webhook-endpoints/${endpoint.id}/test`).set(who.auth).expect(202)).body as { deliveryId: string };
  return { id: endpoint.id, deliveryId: delivery.deliveryId };
}

/**
 * The webhook pages of one owner (`base`: its webhook path, e.g. `/organisation/:id/webhookar`)
 * for an authorisation matrix: the pages to open and the forms to post (each would change something).
 */
export function webhookPageRoutes(base: string, endpoint: { id: string; deliveryId: string }): { gets: string[]; posts: [string, Record<string, string>][] } {
  const hook = `${base}/${endpoint.id}`;
  return {
    gets: [`${base}/ny`, hook, `${hook}/andra`],
    posts: [
      [`${base}/ny`, { url: 'https://evil.example.se/', events: 'booking.created' }],
      [`${hook}/andra`, { url: 'https://evil.example.se/', events: 'booking.cancelled' }],
      [`${hook}/test`, {}],
      [`${hook}/rotera`, {}],
      [`${hook}/av`, {}],
      [`${hook}/pa`, {}],
      [`${hook}/leveranser/${endpoint.deliveryId}/forsok-igen`, {}],
    ],
  };
}
