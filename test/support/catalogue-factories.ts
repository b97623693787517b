import { randomBytes } from 'node:crypto';
import { luhnCheckDigit } from '../../src/organisations/org-number.js';
import type { TestApp } from './app.js';
import type { TestDatabase } from './database.js';
import { givenUser, type GivenUser } from './factories.js';

type Ctx = { app: TestApp; db: TestDatabase };
const DAY = 24 * 3600_000;

/** A valid, random organisation number (ideell förening range). */
export function randomOrgNumber(): string {
  const digits = `80${2 + Math.floor(Math.random() * 8)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return `${digits.slice(0, 6)}-${digits.slice(6)}${luhnCheckDigit(digits)}`;
}

export async function givenProvider(ctx: Ctx, coordinator: GivenUser, body: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const res = await ctx.app.http
    .post('/api/v1/providers')
    .set(coordinator.auth)
    .send({ name: `Studieförbund ${randomBytes(4).toString('hex')}`, kind: 'study_association', municipalityCode: '0380', ...body })
    .expect(201);
  return res.body;
}

/** A person on a provider's staff (inserted directly; the invitation flow has its own test). */
export async function givenStaff(ctx: Ctx, providerId: string): Promise<GivenUser> {
  const user = await givenUser(ctx, { name: 'Kursansvarig' });
  await ctx.db.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [providerId, user.id]);
  return user;
}

/** Someone who registered an organisation (and so is its org_admin). */
export async function givenOrgAdmin(ctx: Ctx): Promise<GivenUser & { organisationId: string }> {
  const user = await givenUser(ctx, { name: 'Organisationsansvarig' });
  const res = await ctx.app.http
    .post('/api/v1/organisations')
    .set(user.auth)
    .send({ name: `Förening ${randomBytes(4).toString('hex')}`, orgNumber: randomOrgNumber(), legalForm: 'ideell_forening', sector: 'social_economy', municipalityCode: '0380' })
    .expect(201);
  return { ...user, organisationId: res.body.id };
}

/** An employee of that organisation. */
export async function givenEmployee(ctx: Ctx, organisationId: string): Promise<GivenUser> {
  const user = await givenUser(ctx, { name: 'Anställd' });
  await ctx.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'employee')`, [organisationId, user.id]);
  return user;
}

export function offeringBody(providerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    providerId,
    title: 'Offentlig upphandling för sociala företag',
    description: 'En utbildning om LOU, anbud och avtal med kommuner.',
    themeCodes: ['public_procurement'],
    format: 'short_course',
    targetGroups: ['social_economy'],
    accessibilityFeatures: ['step_free_access'],
    hours: 6,
    priceSek: 0,
    ...overrides,
  };
}

export function sessionBody(daysAhead = 30, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const start = new Date(Date.now() + daysAhead * DAY);
  start.setUTCHours(8, 0, 0, 0);
  return {
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 6 * 3600_000).toISOString(),
    municipalityCode: '0380',
    venue: 'Kungsgatan 10, Uppsala',
    capacity: 20,
    ...overrides,
  };
}

export async function givenOffering(ctx: Ctx, actor: GivenUser, providerId: string, overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
  const res = await ctx.app.http.post('/api/v1/offerings').set(actor.auth).send(offeringBody(providerId, overrides)).expect(201);
  return res.body;
}

export async function givenSession(ctx: Ctx, actor: GivenUser, offeringId: string, daysAhead = 30, overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
  const res = await ctx.app.http.post(`/api/v1/offerings/${offeringId}/sessions`).set(actor.auth).send(sessionBody(daysAhead, overrides)).expect(201);
  return res.body;
}

/** A published offering with one session per entry of `sessions` (days ahead and overrides). */
export async function givenPublishedOffering(
  ctx: Ctx,
  actor: GivenUser,
  providerId: string,
  overrides: Record<string, unknown> = {},
  sessions: Array<{ days?: number } & Record<string, unknown>> = [{}],
): Promise<{ id: string; sessionIds: string[] }> {
  const offering = await givenOffering(ctx, actor, providerId, overrides);
  const sessionIds: string[] = [];
  for (const { days, ...rest } of sessions) sessionIds.push((await givenSession(ctx, actor, offering.id, days ?? 30, rest)).id);
  await ctx.app.http.post(`/api/v1/offerings/${offering.id}/publish`).set(actor.auth).expect(200);
  return { id: offering.id, sessionIds };
}
