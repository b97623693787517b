import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { run } from '../database/sql.js';
import type { WebhookEventType } from './webhook-endpoint.entity.js';

/** Ids (and states) only: a payload never holds a name, an email, free text or anything about a person. */
export type WebhookData = Record<string, string | number | boolean | null>;

export interface WebhookEvent {
  type: WebhookEventType;
  /** The provider whose endpoints hear of it (the course's provider), if any. */
  providerId: string | null;
  /** The organisation whose endpoints hear of it (the booking's organisation), if any. */
  organisationId: string | null;
  data: WebhookData;
}

/**
 * Writes webhook deliveries in the caller's transaction (or statement): one row per event and per
 * enabled endpoint subscribed to its type that owns it (the provider's endpoints, the
 * organisation's endpoints, and the programme's, which hear everything). The body is fixed when
 * the row is written, `{type, timestamp, data}`, and signed at each attempt.
 */
@Injectable()
export class WebhookEvents {
  constructor(private readonly clock: Clock) {}

  /** Returns how many deliveries were written. */
  async record(manager: EntityManager, events: WebhookEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const fragment = this.insert(
      `SELECT * FROM unnest($1::varchar[], $2::uuid[], $3::uuid[], $4::jsonb[])`,
      5,
    );
    const { affected } = await run(manager, fragment.sql, [
      events.map((e) => e.type),
      events.map((e) => e.providerId),
      events.map((e) => e.organisationId),
      events.map((e) => JSON.stringify(e.data)),
      ...fragment.params,
    ]);
    return affected;
  }

  /**
   * `record` as SQL to embed in the caller's own statement (a data-modifying CTE), so that a
   * statement that books many bookings writes their deliveries without another round trip.
   * `source` is a query whose rows are `(type, provider_id, organisation_id, data jsonb)`; the
   * fragment's two parameters are numbered from `$<first>`.
   */
  insert(source: string, first: number): { sql: string; params: unknown[] } {
    const now = this.clock.now();
    return {
      sql: `INSERT INTO webhook_deliveries (endpoint_id, event_type, body, next_attempt_at, created_at)
       SELECT e.id, ev.type, jsonb_build_object('type', ev.type, 'timestamp', $${first}::text, 'data', ev.data)::text, $${first + 1}::timestamptz, $${first + 1}::timestamptz
         FROM (${source}) AS ev(type, provider_id, organisation_id, data)
         JOIN webhook_endpoints e ON e.enabled AND ev.type::varchar = ANY(e.events)
          AND (e.owner_kind = 'programme' OR e.provider_id = ev.provider_id OR e.organisation_id = ev.organisation_id)`,
      params: [now.toISOString(), now],
    };
  }
}
