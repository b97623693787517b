import { luhnCheckDigit } from '../../src/organisations/org-number.js';
import type { TestApp } from './app.js';
import { fastUser, fastUsers, givenProvider, givenSession, type FastUser } from './bookings-factories.js';
import type { TestDatabase } from './database.js';
import { givenOrganisation, type GivenOrganisation } from './organisation-factories.js';
import { interventionBody, programmeBody } from './programme-factories.js';

type Ctx = { app: TestApp; db: TestDatabase };

let serial = 100;

/** A valid personnummer (12 digits) born on the given day, unique in the run. */
export function personnummer(yyyymmdd = '19850709'): string {
  serial += 1;
  const nine = `${yyyymmdd.slice(2)}${String(serial % 1000).padStart(3, '0')}`;
  return `${yyyymmdd.slice(0, 2)}${nine}${luhnCheckDigit(nine)}`;
}

export interface EsfProgramme {
  coordinator: FastUser;
  programmeId: string;
  interventionId: string;
  providerId: string;
  staff: FastUser;
  organisation: GivenOrganisation;
}

/** An ESF programme (unit cost 300 kr/h by default) with one approved intervention and a provider whose staff record attendance. */
export async function givenEsfProgramme(ctx: Ctx, overrides: Record<string, unknown> = {}): Promise<EsfProgramme> {
  const coordinator = await fastUser(ctx.db, { coordinator: true, prefix: 'samordnare' });
  const staff = await fastUser(ctx.db, { prefix: 'kursledare' });
  const providerId = await givenProvider(ctx.db, [staff.id]);
  const programmeId = (
    await ctx.app.http.post('/api/v1/programmes').set(coordinator.auth).send(programmeBody({ startsOn: '2026-01-01', endsOn: '2028-12-31', ...overrides })).expect(201)
  ).body.id as string;
  const interventionId = (
    await ctx.app.http.post(`/api/v1/programmes/${programmeId}/interventions`).set(coordinator.auth).send(interventionBody({ startsOn: '2026-01-01', endsOn: '2028-12-31' })).expect(201)
  ).body.id as string;
  await ctx.app.http.post(`/api/v1/interventions/${interventionId}/approve`).set(coordinator.auth).expect(200);
  const organisation = await givenOrganisation(ctx);
  return { coordinator, programmeId, interventionId, providerId, staff, organisation };
}

/** A session of an offering linked to the intervention, at the given instants. */
export async function givenEsfSession(ctx: Ctx, esf: EsfProgramme, startsAt: Date, hours = 3): Promise<{ id: string; offeringId: string; startsAt: Date; endsAt: Date }> {
  const session = await givenSession(ctx.db, esf.providerId, { startsAt, endsAt: new Date(startsAt.getTime() + hours * 3600_000), capacity: 50 });
  await ctx.app.http.post(`/api/v1/interventions/${esf.interventionId}/offerings`).set(esf.coordinator.auth).send({ offeringId: session.offeringId }).expect(201);
  return session;
}

/** Employees of the programme's organisation (with a gender in their profile when given). */
export async function givenParticipants(ctx: Ctx, esf: EsfProgramme, genders: (string | null)[]): Promise<FastUser[]> {
  const people = await fastUsers(ctx.db, genders.length, { prefix: 'deltagare' });
  await ctx.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'employee'`, [esf.organisation.id, people.map((p) => p.id)]);
  await ctx.db.query(`INSERT INTO person_profiles (user_id, gender) SELECT * FROM unnest($1::uuid[], $2::varchar[])`, [people.map((p) => p.id), genders]);
  return people;
}

/** Sets the app's clock to an instant. */
export function setClock(app: TestApp, at: Date): void {
  app.clock.reset();
  app.clock.advance(at.getTime() - Date.now());
}

/** Books each person on the session (through the API); returns the booking ids. */
export async function book(ctx: Ctx, sessionId: string, people: FastUser[]): Promise<string[]> {
  const ids: string[] = [];
  for (const person of people) ids.push((await ctx.app.http.post(`/api/v1/sessions/${sessionId}/bookings`).set(person.auth).send({}).expect(201)).body.id);
  return ids;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** The app's agent, also keeping every answer's text in `sink` (to scan all answers of a file for what must never leave). */
export function recordingAgent(app: TestApp, sink: string[]): TestApp['http'] {
  return new Proxy(app.http, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]) =>
        value.call(target, url, ...rest).expect((res: { text?: string; body?: unknown }) => {
          sink.push(typeof res.text === 'string' ? res.text : Buffer.isBuffer(res.body) ? res.body.toString('latin1') : JSON.stringify(res.body ?? null));
        });
    },
  });
}
