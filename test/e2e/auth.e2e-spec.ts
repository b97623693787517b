import jwt from 'jsonwebtoken';
import { startTestApp, TEST_JWT_SECRET } from '../support/app.js';
import { countRows, givenUser, uniqueEmail } from '../support/factories.js';
import { useTestContext } from '../support/context.js';

describe('auth: register, login, tokens, roles, sign-in limits', () => {
  const t = useTestContext();

  it('registers, signs in with any letter case of the email, and answers /me', async () => {
    const email = uniqueEmail('anna');
    const registered = await t.app.http
      .post('/api/v1/auth/register')
      .send({ email: email.toUpperCase(), password: 'korrekt-häst-batteri', name: 'Anna Svensson' })
      .expect(201);
    expect(registered.body.user).toMatchObject({ email, name: 'Anna Svensson', globalRole: null, locale: 'sv' });
    expect(registered.body.user).not.toHaveProperty('passwordHash');

    const login = await t.app.http
      .post('/api/v1/auth/login')
      .send({ email: ` ${email.toUpperCase()} `, password: 'korrekt-häst-batteri' })
      .expect(200);
    expect(login.body.user.id).toBe(registered.body.user.id);
    expect(login.body.expiresIn).toBe(t.app.config.jwtTtlSeconds);

    const me = await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ ...registered.body.user, memberships: [] });

    const [row] = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a second account with the same email in another letter case (409), writing nothing', async () => {
    const user = await givenUser(t);
    const before = await countRows(t.db, 'users');
    const res = await t.app.http
      .post('/api/v1/auth/register')
      .send({ email: user.email.toUpperCase(), password: 'ett-annat-lösenord', name: 'Copy' })
      .expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'AUTH_EMAIL_TAKEN' });
    expect(res.body.requestId).toEqual(expect.any(String));
    expect(await countRows(t.db, 'users')).toBe(before);
  });

  it.each([
    [{ password: 'lång-nog-ja-ja', name: 'X' }, 'email'],
    [{ email: 'not-an-email', password: 'lång-nog-ja-ja', name: 'X' }, 'email'],
    [{ email: 'ok@example.se', password: 'kort', name: 'X' }, 'password'],
    [{ email: 'ok@example.se', password: 12345678901, name: 'X' }, 'password'],
    [{ email: 'ok@example.se', password: 'lång-nog-ja-ja' }, 'name'],
    [{ email: 'ok@example.se', password: 'lång-nog-ja-ja', name: 'X', role: 'coordinator' }, 'role'],
    [{ email: 'ok@example.se', password: 'lång-nog-ja-ja', name: 'X', locale: 'de' }, 'locale'],
  ])('rejects a bad registration %j with 400 naming %s, writing nothing', async (body, field) => {
    const before = await countRows(t.db, 'users');
    const res = await t.app.http.post('/api/v1/auth/register').send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await countRows(t.db, 'users')).toBe(before);
  });

  it('answers malformed JSON with 400 in the error shape', async () => {
    const res = await t.app.http
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', requestId: expect.any(String) });
  });

  it('answers a wrong password with 401 and a bad login body with 400', async () => {
    const user = await givenUser(t);
    const wrong = await t.app.http.post('/api/v1/auth/login').send({ email: user.email, password: 'fel-lösenord' }).expect(401);
    expect(wrong.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    const unknown = await t.app.http
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail('nobody'), password: 'vad-som-helst' })
      .expect(401);
    expect(unknown.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    const bad = await t.app.http.post('/api/v1/auth/login').send({ email: 'nope' }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password']);
  });

  it('limits repeated wrong passwords for one account with 429, while 20 colleagues at the same address sign in', async () => {
    const victim = await givenUser(t);
    const colleagues = await Promise.all(Array.from({ length: 20 }, () => givenUser(t)));
    const limit = t.app.config.loginMaxFailuresPerAccount;
    for (let i = 0; i < limit; i++) {
      await t.app.http.post('/api/v1/auth/login').send({ email: victim.email, password: `fel-${i}-lösenord` }).expect(401);
    }
    const blocked = await t.app.http.post('/api/v1/auth/login').send({ email: victim.email, password: victim.password }).expect(429);
    expect(blocked.body.code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    expect(blocked.body.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(blocked.headers['retry-after']).toBe(String(blocked.body.details.retryAfterSeconds));

    const results = await Promise.all(
      colleagues.map((c) => t.app.http.post('/api/v1/auth/login').send({ email: c.email, password: c.password })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));

    // The window passes: the account may try again.
    t.app.clock.advance(t.app.config.loginFailureWindowMinutes * 60_000 + 1000);
    await t.app.http.post('/api/v1/auth/login').send({ email: victim.email, password: victim.password }).expect(200);
    t.app.clock.reset();
  });

  it('limits one address trying many accounts', async () => {
    await t.db.query('DELETE FROM login_failures');
    const limited = await startTestApp({ databaseUrl: t.db.url, env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '8' } });
    try {
      for (let i = 0; i < 8; i++) {
        await limited.http.post('/api/v1/auth/login').send({ email: uniqueEmail('guess'), password: 'gissning-123' }).expect(401);
      }
      const res = await limited.http.post('/api/v1/auth/login').send({ email: uniqueEmail('guess'), password: 'x-x-x-x-x' });
      expect(res.status).toBe(429);
    } finally {
      await limited.close();
      await t.db.query('DELETE FROM login_failures');
    }
  });

  describe('bearer tokens', () => {
    let user: Awaited<ReturnType<typeof givenUser>>;
    beforeAll(async () => {
      user = await givenUser(t);
    });

    it.each([
      ['missing', undefined, 'UNAUTHENTICATED'],
      ['malformed', 'Bearer not.a.jwt', 'AUTH_TOKEN_INVALID'],
      ['not a bearer', 'Basic dXNlcjpwYXNz', 'UNAUTHENTICATED'],
    ])('refuses a %s token with 401', async (_label, header, code) => {
      const req = t.app.http.get('/api/v1/me');
      if (header) req.set('Authorization', header);
      const res = await req.expect(401);
      expect(res.body.code).toBe(code);
    });

    it('refuses a token signed with another secret', async () => {
      const forged = jwt.sign({ sub: user.id }, 'another-secret-that-is-also-long-enough-000000', { algorithm: 'HS256' });
      const res = await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${forged}`).expect(401);
      expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
    });

    it('refuses an expired token', async () => {
      const expired = jwt.sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, { algorithm: 'HS256' });
      const res = await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${expired}`).expect(401);
      expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
    });

    it('refuses an unsigned (alg none) token', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: user.id })).toString('base64url');
      await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${header}.${payload}.`).expect(401);
    });

    it('refuses a valid token for an account that no longer exists', async () => {
      const orphan = jwt.sign({ sub: '00000000-0000-4000-8000-000000000000' }, TEST_JWT_SECRET, { algorithm: 'HS256' });
      const res = await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${orphan}`).expect(401);
      expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
    });
  });

  it('@Roles refuses a signed-in person without the role (403) and lets a coordinator in', async () => {
    const employee = await givenUser(t);
    const coordinator = await givenUser(t, { coordinator: true });
    await t.app.http.get('/api/v1/mail/outbox/summary').expect(401);
    const refused = await t.app.http.get('/api/v1/mail/outbox/summary').set(employee.auth).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const ok = await t.app.http.get('/api/v1/mail/outbox/summary').set(coordinator.auth).expect(200);
    expect(ok.body.byStatus).toEqual(expect.objectContaining({ pending: expect.any(Number), sent: expect.any(Number) }));
  });
});
