import { randomInt } from 'node:crypto';
import type { TestApp } from './app.js';
import type { TestDatabase } from './database.js';
import { givenUser, type GivenUser } from './factories.js';

type Ctx = { app: TestApp; db: TestDatabase };

export async function givenProvider(db: TestDatabase, name = `Studieförbundet ${randomInt(1_000_000)}`): Promise<string> {
  const [row] = await db.query<{ id: string }>(`INSERT INTO providers (name, kind) VALUES ($1, 'study_association') RETURNING id`, [name]);
  return row.id;
}

/** A person on a provider's staff (row inserted directly; the catalogue's API is built elsewhere). */
export async function givenProviderStaff(ctx: Ctx): Promise<GivenUser & { providerId: string }> {
  const user = await givenUser(ctx);
  const providerId = await givenProvider(ctx.db);
  await ctx.db.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [providerId, user.id]);
  return { ...user, providerId };
}

/** A published offering with one scheduled session: supply for the report's Q3. */
export async function givenSupply(
  db: TestDatabase,
  options: { providerId?: string; themeCodes: string[]; startsAt: Date; capacity: number; seatsTaken?: number; municipalityCode?: string | null; status?: string },
): Promise<{ offeringId: string; sessionId: string }> {
  const providerId = options.providerId ?? (await givenProvider(db));
  const [offering] = await db.query<{ id: string }>(
    `INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status, published_at)
     VALUES ($1, 'Kurs', 'Beskrivning', $2, 'short_course', '{social_economy}', $3, now()) RETURNING id`,
    [providerId, options.themeCodes, options.status ?? 'published'],
  );
  const endsAt = new Date(options.startsAt.getTime() + 3 * 3600_000);
  const [session] = await db.query<{ id: string }>(
    `INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, online, capacity, seats_taken, booking_closes_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $2) RETURNING id`,
    [
      offering.id,
      options.startsAt,
      endsAt,
      options.municipalityCode === undefined ? '0380' : options.municipalityCode,
      options.municipalityCode === null,
      options.capacity,
      options.seatsTaken ?? 0,
    ],
  );
  return { offeringId: offering.id, sessionId: session.id };
}

const DAY = 24 * 3600_000;

/** A round created (and by default opened) by the coordinator, open for answers from an hour ago. */
export async function givenRound(
  ctx: Ctx,
  coordinator: GivenUser,
  options: { invite?: Record<string, unknown>; open?: boolean; closesInDays?: number; title?: string } = {},
): Promise<{ id: string; body: Record<string, unknown> }> {
  const now = ctx.app.clock.now().getTime();
  const created = await ctx.app.http
    .post('/api/v1/needs-rounds')
    .set(coordinator.auth)
    .send({
      title: options.title ?? 'Behovsinventering 2027',
      opensAt: new Date(now - 3600_000).toISOString(),
      closesAt: new Date(now + (options.closesInDays ?? 20) * DAY).toISOString(),
      invite: options.invite ?? { all: true },
    })
    .expect(201);
  if (options.open === false) return { id: created.body.id, body: created.body };
  const opened = await ctx.app.http.post(`/api/v1/needs-rounds/${created.body.id}/open`).set(coordinator.auth).expect(200);
  return { id: created.body.id, body: opened.body };
}

export const DAY_MS = DAY;
