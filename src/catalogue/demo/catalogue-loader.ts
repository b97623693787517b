import type { DataSource, EntityManager } from 'typeorm';
import { DEMO_PROVIDERS, type GeneratedOffering, type GeneratedSession } from './catalogue-generator.js';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Inserts generated providers, offerings and sessions in batches (unnest arrays); returns the counts. */
export async function loadCatalogue(
  db: Queryable,
  data: { providers: typeof DEMO_PROVIDERS; offerings: GeneratedOffering[]; sessions: GeneratedSession[]; now: Date },
): Promise<{ providers: number; offerings: number; sessions: number }> {
  const providerIds: string[] = [];
  for (const provider of data.providers) {
    const [row] = (await db.query(
      `INSERT INTO providers (name, kind, municipality_code, website) VALUES ($1, $2, $3, $4) RETURNING id`,
      [provider.name, provider.kind, provider.municipalityCode, provider.website],
    )) as { id: string }[];
    providerIds.push(row.id);
  }
  const offeringIds: string[] = [];
  const BATCH = 2000;
  for (let start = 0; start < data.offerings.length; start += BATCH) {
    const batch = data.offerings.slice(start, start + BATCH);
    const rows = (await db.query(
      `INSERT INTO offerings (provider_id, title, description, theme_codes, format, level, target_groups, accessibility_features,
                              hours, price_sek, status, published_at)
       SELECT provider_id, title, description, string_to_array(themes, ',')::varchar[], format, level,
              string_to_array(groups, ',')::varchar[], coalesce(string_to_array(nullif(features, ''), ','), '{}')::varchar[],
              hours, price, status, CASE WHEN status = 'published' THEN $12::timestamptz END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::numeric[], $10::int[], $11::text[])
           AS t(provider_id, title, description, themes, format, level, groups, features, hours, price, status)
       RETURNING id`,
      [
        batch.map((o) => providerIds[o.providerIndex % providerIds.length]),
        batch.map((o) => o.title),
        batch.map((o) => o.description),
        batch.map((o) => o.themeCodes.join(',')),
        batch.map((o) => o.format),
        batch.map((o) => o.level),
        batch.map((o) => o.targetGroups.join(',')),
        batch.map((o) => o.accessibilityFeatures.join(',')),
        batch.map((o) => o.hours),
        batch.map((o) => o.priceSek),
        batch.map((o) => o.status),
        data.now,
      ],
    )) as { id: string }[];
    offeringIds.push(...rows.map((r) => r.id));
  }
  for (let start = 0; start < data.sessions.length; start += BATCH) {
    const batch = data.sessions.slice(start, start + BATCH);
    await db.query(
      `INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, online, venue, capacity, seats_taken,
                             booking_closes_at, requires_approval)
       SELECT offering_id, starts_at, ends_at, municipality_code, online, venue, capacity, seats_taken, starts_at, requires_approval
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::bpchar[], $5::boolean[], $6::text[], $7::int[], $8::int[], $9::boolean[])
           AS t(offering_id, starts_at, ends_at, municipality_code, online, venue, capacity, seats_taken, requires_approval)`,
      [
        batch.map((s) => offeringIds[s.offeringIndex]),
        batch.map((s) => s.startsAt),
        batch.map((s) => s.endsAt),
        batch.map((s) => s.municipalityCode),
        batch.map((s) => s.online),
        batch.map((s) => s.venue),
        batch.map((s) => s.capacity),
        batch.map((s) => s.seatsTaken),
        batch.map((s) => s.requiresApproval),
      ],
    );
  }
  return { providers: providerIds.length, offerings: offeringIds.length, sessions: data.sessions.length };
}
