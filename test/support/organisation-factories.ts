import type { TestApp } from './app.js';
import type { TestDatabase } from './database.js';
import { givenUser, type GivenUser } from './factories.js';
import { luhnCheckDigit } from '../../src/organisations/org-number.js';

let serial = 100_000;

/** A valid, unused organisation number (third digit 2, Luhn check digit). */
export function uniqueOrgNumber(prefix = '802'): string {
  serial += 1;
  const nine = `${prefix}${String(serial).padStart(6, '0')}`.slice(0, 9);
  return `${nine.slice(0, 6)}-${nine.slice(6)}${luhnCheckDigit(nine)}`;
}

export interface GivenOrganisation {
  id: string;
  orgNumber: string;
  admin: GivenUser;
}

/** An organisation registered through the API by a new person, who becomes its org_admin. */
export async function givenOrganisation(
  ctx: { app: TestApp; db: TestDatabase },
  overrides: Record<string, unknown> = {},
  admin?: GivenUser,
): Promise<GivenOrganisation> {
  const owner = admin ?? (await givenUser(ctx, { name: 'Org Admin' }));
  const orgNumber = uniqueOrgNumber();
  const res = await ctx.app.http
    .post('/api/v1/organisations')
    .set(owner.auth)
    .send({ name: `Förening ${orgNumber}`, orgNumber, legalForm: 'ideell_forening', sector: 'social_economy', municipalityCode: '0380', ...overrides })
    .expect(201);
  return { id: res.body.id, orgNumber: res.body.orgNumber, admin: owner };
}

/** Adds an existing person to an organisation directly (for tests that are not about invitations). */
export async function givenMember(
  ctx: { app: TestApp; db: TestDatabase },
  organisationId: string,
  role: 'org_admin' | 'employee' = 'employee',
): Promise<GivenUser> {
  const user = await givenUser(ctx, { name: role === 'org_admin' ? 'Second Admin' : 'Employee' });
  await ctx.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, $3)`, [organisationId, user.id, role]);
  return user;
}
