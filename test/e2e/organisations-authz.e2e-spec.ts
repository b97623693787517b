import { countRows, givenUser, uniqueEmail, type GivenUser } from '../support/factories.js';
import { givenMember, givenOrganisation, uniqueOrgNumber, type GivenOrganisation } from '../support/organisation-factories.js';
import { useTestContext } from '../support/context.js';

type Role = 'anonymous' | 'employee' | 'orgAdmin' | 'otherOrgAdmin' | 'providerStaff' | 'coordinator';
const ROLES: Role[] = ['anonymous', 'employee', 'orgAdmin', 'otherOrgAdmin', 'providerStaff', 'coordinator'];

interface Route {
  name: string;
  /** Expected status per role; anything not 2xx also gets its code checked. */
  expect: Record<Role, number>;
  /** Sends the request as `auth` (undefined: no token); may prepare fresh state first. */
  send: (auth: { Authorization: string } | undefined) => Promise<{ status: number; body: any }>;
  /** Rows that a refused request must leave as they were. */
  unchanged?: () => Promise<number>;
}

describe('organisations: authorisation matrix over every route', () => {
  const t = useTestContext();
  let org: GivenOrganisation;
  let other: GivenOrganisation;
  const users = {} as Record<Exclude<Role, 'anonymous' | 'orgAdmin' | 'otherOrgAdmin'>, GivenUser>;

  beforeAll(async () => {
    org = await givenOrganisation(t);
    other = await givenOrganisation(t);
    users.employee = await givenMember(t, org.id, 'employee');
    users.coordinator = await givenUser(t, { coordinator: true });
    users.providerStaff = await givenUser(t);
    const [provider] = await t.db.query<{ id: string }>(`INSERT INTO providers (name, kind) VALUES ('Studieförbundet Test', 'study_association') RETURNING id`);
    await t.db.query(`INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)`, [provider.id, users.providerStaff.id]);
  });

  const authOf = (role: Role) =>
    role === 'anonymous' ? undefined : role === 'orgAdmin' ? org.admin.auth : role === 'otherOrgAdmin' ? other.admin.auth : users[role].auth;
  const withAuth = <T extends { set: (h: Record<string, string>) => T }>(req: T, auth?: { Authorization: string }) => (auth ? req.set(auth) : req);
  const member = (status: number) => ({ anonymous: 401, employee: status, orgAdmin: status, otherOrgAdmin: 403, providerStaff: 403, coordinator: status });
  const adminOnly = (status: number) => ({ anonymous: 401, employee: 403, orgAdmin: status, otherOrgAdmin: 403, providerStaff: 403, coordinator: status });
  const anyone = (status: number) => ({ anonymous: 401, employee: status, orgAdmin: status, otherOrgAdmin: status, providerStaff: status, coordinator: status });

  const routes: Route[] = [
    {
      name: 'POST /organisations',
      expect: anyone(201),
      send: (auth) =>
        withAuth(t.app.http.post('/api/v1/organisations'), auth).send({
          name: 'Ny förening',
          orgNumber: uniqueOrgNumber(),
          legalForm: 'ideell_forening',
          sector: 'social_economy',
          municipalityCode: '0380',
        }),
      unchanged: () => countRows(t.db, 'organisations'),
    },
    { name: 'GET /organisations', expect: anyone(200), send: (auth) => withAuth(t.app.http.get('/api/v1/organisations'), auth) },
    { name: 'GET /organisations/:id', expect: member(200), send: (auth) => withAuth(t.app.http.get(`/api/v1/organisations/${org.id}`), auth) },
    {
      name: 'PATCH /organisations/:id',
      expect: adminOnly(200),
      send: (auth) => withAuth(t.app.http.patch(`/api/v1/organisations/${org.id}`), auth).send({ employeeCount: 7 }),
      unchanged: async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM organisations WHERE employee_count = 7`))[0].n,
    },
    { name: 'GET /organisations/:id/members', expect: adminOnly(200), send: (auth) => withAuth(t.app.http.get(`/api/v1/organisations/${org.id}/members`), auth) },
    {
      name: 'PATCH /organisations/:id/members/:userId',
      expect: adminOnly(200),
      send: async (auth) => {
        const target = await givenMember(t, org.id);
        return withAuth(t.app.http.patch(`/api/v1/organisations/${org.id}/members/${target.id}`), auth).send({ jobTitle: 'Ändrad' });
      },
      unchanged: () => countRows(t.db, 'organisation_members', `job_title = 'Ändrad'`),
    },
    {
      name: 'DELETE /organisations/:id/members/:userId',
      expect: adminOnly(204),
      send: async (auth) => {
        const target = await givenMember(t, org.id);
        return withAuth(t.app.http.delete(`/api/v1/organisations/${org.id}/members/${target.id}`), auth);
      },
      // Each attempt adds one member; a refused removal leaves it there.
      unchanged: async () => (await countRows(t.db, 'organisation_members')) - (await countRows(t.db, 'users')),
    },
    {
      name: 'POST /organisations/:id/invitations',
      expect: adminOnly(201),
      send: (auth) => withAuth(t.app.http.post(`/api/v1/organisations/${org.id}/invitations`), auth).send({ email: uniqueEmail('m'), role: 'employee' }),
      unchanged: () => countRows(t.db, 'invitations'),
    },
    { name: 'GET /organisations/:id/invitations', expect: adminOnly(200), send: (auth) => withAuth(t.app.http.get(`/api/v1/organisations/${org.id}/invitations`), auth) },
    {
      name: 'DELETE /organisations/:id/invitations/:invitationId',
      expect: adminOnly(204),
      send: async (auth) => {
        const inv = await t.app.http.post(`/api/v1/organisations/${org.id}/invitations`).set(org.admin.auth).send({ email: uniqueEmail('v'), role: 'employee' });
        return withAuth(t.app.http.delete(`/api/v1/organisations/${org.id}/invitations/${inv.body.id}`), auth);
      },
      unchanged: () => countRows(t.db, 'invitations', 'voided_at IS NOT NULL'),
    },
    { name: 'GET /me', expect: anyone(200), send: (auth) => withAuth(t.app.http.get('/api/v1/me'), auth) },
    { name: 'GET /me/profile', expect: anyone(200), send: (auth) => withAuth(t.app.http.get('/api/v1/me/profile'), auth) },
    { name: 'PUT /me/profile', expect: anyone(200), send: (auth) => withAuth(t.app.http.put('/api/v1/me/profile'), auth).send({ birthYear: 1980 }) },
    { name: 'GET /me/export', expect: anyone(200), send: (auth) => withAuth(t.app.http.get('/api/v1/me/export'), auth) },
    {
      name: 'GET /audit-log',
      expect: { anonymous: 401, employee: 403, orgAdmin: 403, otherOrgAdmin: 403, providerStaff: 403, coordinator: 200 },
      send: (auth) => withAuth(t.app.http.get('/api/v1/audit-log'), auth),
    },
  ];

  for (const route of routes) {
    describe(route.name, () => {
      it.each(ROLES)('as %s', async (role) => {
        const expected = route.expect[role];
        const before = route.unchanged ? await route.unchanged() : 0;
        const res = await route.send(authOf(role));
        expect({ role, status: res.status }).toEqual({ role, status: expected });
        if (expected === 401) expect(res.body.code).toBe('UNAUTHENTICATED');
        if (expected === 403) expect(['ORGANISATION_ACCESS_DENIED', 'FORBIDDEN']).toContain(res.body.code);
        if (expected >= 400 && route.unchanged) expect(await route.unchanged()).toBe(before);
      });
    });
  }

  it('DELETE /me: anonymous is refused; a person erases only themselves', async () => {
    await t.app.http.delete('/api/v1/me').expect(401);
    const someone = await givenUser(t);
    await t.app.http.delete('/api/v1/me').set(someone.auth).expect(200);
    await t.app.http.get(`/api/v1/organisations/${org.id}`).set(org.admin.auth).expect(200);
  });

  it('one organisation never sees another\'s members, even with a guessed id in a member route', async () => {
    const res = await t.app.http.patch(`/api/v1/organisations/${other.id}/members/${other.admin.id}`).set(org.admin.auth).send({ role: 'employee' }).expect(403);
    expect(res.body.code).toBe('ORGANISATION_ACCESS_DENIED');
    const cross = await t.app.http.patch(`/api/v1/organisations/${org.id}/members/${other.admin.id}`).set(org.admin.auth).send({ role: 'employee' }).expect(404);
    expect(cross.body.code).toBe('MEMBER_NOT_FOUND');
    expect(
      await countRows(t.db, 'organisation_members', `user_id = $1 AND organisation_id = $2 AND role = 'org_admin'`, [other.admin.id, other.id]),
    ).toBe(1);
  });
});
