import type { Response, Test } from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  givenEmployee,
  givenOffering,
  givenOrgAdmin,
  givenProvider,
  givenSession,
  givenStaff,
  offeringBody,
  sessionBody,
} from '../support/catalogue-factories.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { givenUser, uniqueEmail, type GivenUser } from '../support/factories.js';

type Role = 'anonymous' | 'employee' | 'orgAdmin' | 'otherStaff' | 'ownStaff' | 'coordinator';
const ROLES: Role[] = ['anonymous', 'employee', 'orgAdmin', 'otherStaff', 'ownStaff', 'coordinator'];
type Outcome = number | [number, string];

interface RouteCase {
  route: string;
  /** Builds the request for a role (fresh targets where a success would change the next call). */
  call: (role: Role) => PromiseLike<Response>;
  expect: Record<Role, Outcome>;
  /** Rows that a refused call must leave exactly as they were. */
  snapshot?: () => Promise<unknown>;
}

const STAFF_ONLY = (success: number, code = 'PROVIDER_ACCESS_DENIED'): Record<Role, Outcome> => ({
  anonymous: [401, 'UNAUTHENTICATED'],
  employee: [403, code],
  orgAdmin: [403, code],
  otherStaff: [403, code],
  ownStaff: success,
  coordinator: success,
});
const HIDDEN = (success: number, code: string): Record<Role, Outcome> => ({
  anonymous: [404, code],
  employee: [404, code],
  orgAdmin: [404, code],
  otherStaff: [404, code],
  ownStaff: success,
  coordinator: success,
});
const EVERYONE = (success: number): Record<Role, Outcome> => ({
  anonymous: success,
  employee: success,
  orgAdmin: success,
  otherStaff: success,
  ownStaff: success,
  coordinator: success,
});

describe('catalogue: authorisation matrix for every route', () => {
  let db: TestDatabase;
  let app: TestApp;
  let ctx: { app: TestApp; db: TestDatabase };
  const users = {} as Record<Exclude<Role, 'anonymous'>, GivenUser>;
  let provider: { id: string };
  let draft: { id: string };
  let draftSession: { id: string };
  let colleague: GivenUser;

  const as = (role: Role, test: Test): Test => (role === 'anonymous' ? test : test.set(users[role].auth));
  const http = () => app.http;
  const freshDraft = async () => {
    const offering = await givenOffering(ctx, users.ownStaff, provider.id);
    const session = await givenSession(ctx, users.ownStaff, offering.id);
    return { offeringId: offering.id, sessionId: session.id };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({ databaseUrl: db.url });
    ctx = { app, db };
    users.coordinator = await givenUser(ctx, { coordinator: true });
    provider = await givenProvider(ctx, users.coordinator);
    const other = await givenProvider(ctx, users.coordinator);
    users.ownStaff = await givenStaff(ctx, provider.id);
    users.otherStaff = await givenStaff(ctx, other.id);
    const admin = await givenOrgAdmin(ctx);
    users.orgAdmin = admin;
    users.employee = await givenEmployee(ctx, admin.organisationId);
    colleague = await givenStaff(ctx, provider.id);
    draft = await givenOffering(ctx, users.ownStaff, provider.id);
    draftSession = await givenSession(ctx, users.ownStaff, draft.id);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const cases: RouteCase[] = [
    {
      route: 'POST /providers',
      call: (role) => as(role, http().post('/api/v1/providers').send({ name: `Anordnare ${role}`, kind: 'other' })),
      expect: { ...STAFF_ONLY(201, 'FORBIDDEN'), ownStaff: [403, 'FORBIDDEN'] },
      snapshot: () => db.query('SELECT id FROM providers ORDER BY id'),
    },
    { route: 'GET /providers', call: (role) => as(role, http().get('/api/v1/providers')), expect: EVERYONE(200) },
    { route: 'GET /providers/:id', call: (role) => as(role, http().get(`/api/v1/providers/${provider.id}`)), expect: EVERYONE(200) },
    {
      route: 'PATCH /providers/:id',
      call: (role) => as(role, http().patch(`/api/v1/providers/${provider.id}`).send({ website: `https://${role.toLowerCase()}.example.se` })),
      expect: STAFF_ONLY(200),
      snapshot: () => db.query('SELECT * FROM providers WHERE id = $1', [provider.id]),
    },
    {
      route: 'POST /providers/:id/staff',
      call: (role) => as(role, http().post(`/api/v1/providers/${provider.id}/staff`).send({ email: uniqueEmail(role) })),
      expect: STAFF_ONLY(201),
      snapshot: () => db.query('SELECT id FROM invitations ORDER BY id'),
    },
    { route: 'GET /providers/:id/staff', call: (role) => as(role, http().get(`/api/v1/providers/${provider.id}/staff`)), expect: STAFF_ONLY(200) },
    {
      route: 'GET /providers/:id/staff-invitations',
      call: (role) => as(role, http().get(`/api/v1/providers/${provider.id}/staff-invitations`)),
      expect: STAFF_ONLY(200),
    },
    {
      route: 'DELETE /providers/:id/staff-invitations/:invitationId',
      // each caller aims at a fresh open invitation; a refused one leaves it open
      call: async (role) => {
        const sent = await http().post(`/api/v1/providers/${provider.id}/staff`).set(users.coordinator.auth).send({ email: uniqueEmail('withdraw') });
        return as(role, http().delete(`/api/v1/providers/${provider.id}/staff-invitations/${sent.body.id}`));
      },
      expect: STAFF_ONLY(204),
      snapshot: () => db.query(`SELECT count(*)::int AS n FROM invitations WHERE kind = 'provider' AND voided_at IS NOT NULL`),
    },
    {
      route: 'DELETE /providers/:id/staff/:userId',
      // refused callers aim at one colleague, who must still be there; allowed callers remove fresh ones
      call: async (role) => {
        const target = role === 'ownStaff' || role === 'coordinator' ? (await givenStaff(ctx, provider.id)).id : colleague.id;
        return as(role, http().delete(`/api/v1/providers/${provider.id}/staff/${target}`));
      },
      expect: STAFF_ONLY(204),
      snapshot: () => db.query('SELECT user_id FROM provider_staff WHERE user_id = $1', [colleague.id]),
    },
    { route: 'GET /providers/:id/offerings', call: (role) => as(role, http().get(`/api/v1/providers/${provider.id}/offerings`)), expect: EVERYONE(200) },
    {
      route: 'POST /offerings',
      call: (role) => as(role, http().post('/api/v1/offerings').send(offeringBody(provider.id))),
      expect: STAFF_ONLY(201),
      snapshot: () => db.query('SELECT id FROM offerings ORDER BY id'),
    },
    { route: 'GET /offerings', call: (role) => as(role, http().get('/api/v1/offerings?q=upphandling')), expect: EVERYONE(200) },
    { route: 'GET /offerings/:id (draft)', call: (role) => as(role, http().get(`/api/v1/offerings/${draft.id}`)), expect: HIDDEN(200, 'OFFERING_NOT_FOUND') },
    {
      route: 'PATCH /offerings/:id',
      call: (role) => as(role, http().patch(`/api/v1/offerings/${draft.id}`).send({ title: `Titel av ${role}` })),
      expect: STAFF_ONLY(200),
      snapshot: () => db.query('SELECT title, updated_at FROM offerings WHERE id = $1', [draft.id]),
    },
    {
      route: 'POST /offerings/:id/publish',
      call: async (role) => as(role, http().post(`/api/v1/offerings/${(await freshDraft()).offeringId}/publish`)),
      expect: STAFF_ONLY(200),
      snapshot: () => db.query(`SELECT count(*)::int AS n FROM offerings WHERE status = 'published'`),
    },
    {
      route: 'POST /offerings/:id/archive',
      call: async (role) => as(role, http().post(`/api/v1/offerings/${(await freshDraft()).offeringId}/archive`)),
      expect: STAFF_ONLY(200),
      snapshot: () => db.query(`SELECT count(*)::int AS n FROM offerings WHERE status = 'archived'`),
    },
    {
      route: 'POST /offerings/:id/sessions',
      call: (role) => as(role, http().post(`/api/v1/offerings/${draft.id}/sessions`).send(sessionBody(40))),
      expect: STAFF_ONLY(201),
      snapshot: () => db.query('SELECT id FROM sessions ORDER BY id'),
    },
    { route: 'GET /sessions/:id (draft offering)', call: (role) => as(role, http().get(`/api/v1/sessions/${draftSession.id}`)), expect: HIDDEN(200, 'SESSION_NOT_FOUND') },
    {
      route: 'PATCH /sessions/:id',
      call: (role) => as(role, http().patch(`/api/v1/sessions/${draftSession.id}`).send({ capacity: 25 })),
      expect: STAFF_ONLY(200),
      snapshot: () => db.query('SELECT capacity, updated_at FROM sessions WHERE id = $1', [draftSession.id]),
    },
    {
      route: 'POST /sessions/:id/cancel',
      call: async (role) => as(role, http().post(`/api/v1/sessions/${(await freshDraft()).sessionId}/cancel`).send({ reason: 'Inställt' })),
      expect: STAFF_ONLY(200),
      snapshot: () => db.query(`SELECT count(*)::int AS n FROM sessions WHERE status = 'cancelled'`),
    },
  ];

  it.each(cases.map((c) => [c.route, c] as const))('%s', async (_, c) => {
    const refused = ROLES.filter((role) => typeof c.expect[role] !== 'number');
    const before = c.snapshot ? await c.snapshot() : undefined;
    for (const role of refused) {
      const [status, code] = c.expect[role] as [number, string];
      const res = await c.call(role);
      expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status, code });
    }
    if (c.snapshot) expect(await c.snapshot()).toEqual(before);
    for (const role of ROLES.filter((r) => !refused.includes(r))) {
      const res = await c.call(role);
      expect({ role, status: res.status }).toEqual({ role, status: c.expect[role] });
    }
  });

  it('a provider\'s list shows drafts only to its staff and coordinators', async () => {
    for (const role of ROLES) {
      const res = await as(role, http().get(`/api/v1/providers/${provider.id}/offerings?status=draft`)).expect(200);
      const sees = role === 'ownStaff' || role === 'coordinator';
      expect({ role, sees: res.body.items.some((o: { id: string }) => o.id === draft.id) }).toEqual({ role, sees });
    }
  });

  it('staff of another provider cannot put an offering under this provider', async () => {
    const res = await http().post('/api/v1/offerings').set(users.otherStaff.auth).send(offeringBody(provider.id)).expect(403);
    expect(res.body.code).toBe('PROVIDER_ACCESS_DENIED');
  });
});
