import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';
import { fastUsers, type FastUser } from './bookings-factories.js';
import { randomOrgNumber } from './catalogue-factories.js';
import type { TestDatabase } from './database.js';
import { givenUser, type GivenUser } from './factories.js';

type Ctx = { app: TestApp; db: TestDatabase };

/** An organisation registered through the API in a municipality; its registrant is its org_admin. */
export async function givenOrgIn(ctx: Ctx, municipalityCode: string): Promise<GivenUser & { organisationId: string }> {
  const user = await givenUser(ctx, { name: 'Organisationsansvarig' });
  const res = await ctx.app.http
    .post('/api/v1/organisations')
    .set(user.auth)
    .send({ name: `Förening ${randomBytes(4).toString('hex')}`, orgNumber: randomOrgNumber(), legalForm: 'ideell_forening', sector: 'social_economy', municipalityCode })
    .expect(201);
  return { ...user, organisationId: res.body.id };
}

/** Employees of an organisation with a gender in their profile (rows inserted directly). */
export async function givenEmployees(db: TestDatabase, organisationId: string, genders: (string | null)[]): Promise<FastUser[]> {
  const people = await fastUsers(db, genders.length, { prefix: 'deltagare' });
  await db.query(
    `INSERT INTO organisation_members (organisation_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'employee'`,
    [organisationId, people.map((p) => p.id)],
  );
  await db.query(`INSERT INTO person_profiles (user_id, gender) SELECT * FROM unnest($1::uuid[], $2::varchar[])`, [people.map((p) => p.id), genders]);
  return people;
}

export const programmeBody = (overrides: Record<string, unknown> = {}) => ({
  title: 'Kompetenslyft 2027–2029',
  startsOn: '2027-03-01',
  endsOn: '2029-02-28',
  fundingSource: 'esf_plus',
  budgetSek: 1_000_000,
  unitCostPerHourSek: 300,
  esfReporting: true,
  timeCosign: false,
  finalPaymentYear: 2030,
  ...overrides,
});

export const interventionBody = (overrides: Record<string, unknown> = {}) => ({
  themeCode: 'employer_role',
  targetGroups: ['social_economy'],
  format: 'short_course',
  counties: ['03'],
  plannedParticipants: 20,
  plannedWomen: 12,
  plannedMen: 8,
  hoursPerParticipant: 6,
  costSek: 30_000,
  startsOn: '2027-09-01',
  endsOn: '2027-12-15',
  ...overrides,
});
