import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WebhookEventType } from '../integrations/webhook-endpoint.entity.js';
import { WebhookEvents } from '../integrations/webhook-events.js';
import type { BookingStatus } from './booking.entity.js';

/** What a booking event says: ids and the state, nothing about the person. */
export interface BookingRef {
  id: string;
  sessionId: string;
  providerId: string;
  organisationId: string | null;
  status: BookingStatus;
}

/**
 * Bookings' webhook events, written in the booking's transaction (or statement): the provider's
 * endpoints hear of bookings on its courses, the organisation's of bookings made through it.
 */
@Injectable()
export class BookingWebhooks {
  constructor(private readonly events: WebhookEvents) {}

  /** One event per type about the booking. */
  tell(manager: EntityManager, types: WebhookEventType[], booking: BookingRef): Promise<number> {
    return this.tellMany(manager, types.map((type) => ({ type, booking })));
  }

  tellMany(manager: EntityManager, items: Array<{ type: WebhookEventType; booking: BookingRef }>): Promise<number> {
    return this.events.record(
      manager,
      items.map(({ type, booking }) => ({
        type,
        providerId: booking.providerId,
        organisationId: booking.organisationId,
        data: { bookingId: booking.id, sessionId: booking.sessionId, providerId: booking.providerId, organisationId: booking.organisationId, status: booking.status },
      })),
    );
  }

  /**
   * The events of BookingBatches' statement as a fragment over its `written` rows (id, session_id,
   * organisation_id, seat, nth): booking.created and booking.confirmed or booking.waitlisted for each.
   * Its parameters, numbered from `$<first>`: the providers of the batch's bookings (by nth), then the
   * fragment's own.
   */
  batchInsert(providerIds: string[], first: number): { sql: string; params: unknown[] } {
    const provider = `($${first}::uuid[])[w.nth]`;
    const fragment = this.events.insert(
      `SELECT t.type, ${provider}, w.organisation_id,
              jsonb_build_object('bookingId', w.id, 'sessionId', w.session_id, 'providerId', ${provider}, 'organisationId', w.organisation_id,
                                 'status', CASE WHEN w.seat THEN 'confirmed' ELSE 'waitlisted' END)
         FROM written w
        CROSS JOIN LATERAL (VALUES ('booking.created'), (CASE WHEN w.seat THEN 'booking.confirmed' ELSE 'booking.waitlisted' END)) AS t(type)`,
      first + 1,
    );
    return { sql: fragment.sql, params: [providerIds, ...fragment.params] };
  }
}
