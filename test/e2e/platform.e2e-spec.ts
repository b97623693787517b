import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { startTestApp } from '../support/app.js';
import { countRows } from '../support/factories.js';
import { useTestContext } from '../support/context.js';

describe('platform: health, reference data, errors, OpenAPI, schema', () => {
  const t = useTestContext();

  it('GET /health answers 200 when the database answers', async () => {
    const res = await t.app.http.get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
  });

  it('serves the 48 municipalities of the five counties', async () => {
    const res = await t.app.http.get('/api/v1/municipalities').expect(200);
    expect(res.body).toHaveLength(48);
    expect(res.body).toContainEqual({ code: '0380', name: 'Uppsala', countyCode: '03', countyName: 'Uppsala län' });
    expect(new Set(res.body.map((m: { countyCode: string }) => m.countyCode))).toEqual(new Set(['03', '04', '05', '18', '19']));
  });

  it('serves themes, formats and accessibility features with Swedish and English names', async () => {
    const themes = await t.app.http.get('/api/v1/themes').expect(200);
    expect(themes.body.length).toBeGreaterThanOrEqual(14);
    expect(themes.body).toContainEqual(expect.objectContaining({ code: 'gender_equality', nameSv: 'Jämställdhet', nameEn: 'Gender equality' }));
    const formats = await t.app.http.get('/api/v1/formats').expect(200);
    expect(formats.body.map((f: { code: string }) => f.code)).toEqual([
      'study_circle',
      'short_course',
      'lecture_series',
      'study_visit',
      'team_series',
      'higher_ed_course',
      'online_course',
    ]);
    const features = await t.app.http.get('/api/v1/accessibility-features').expect(200);
    expect(features.body).toContainEqual({ code: 'induction_loop', nameSv: 'Hörslinga', nameEn: 'Induction loop', category: 'hearing' });
  });

  it('answers an unknown route with 404 in the error shape, echoing a given request id', async () => {
    const res = await t.app.http.get('/api/v1/no-such-thing').set('X-Request-Id', 'trace-abc-123').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), requestId: 'trace-abc-123' });
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
  });

  it('sets security headers (helmet)', async () => {
    const res = await t.app.http.get('/api/v1/themes').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await t.app.http
      .post('/api/v1/auth/register')
      .send({ email: 'a@example.se', password: 'x'.repeat(1_100_000), name: 'X' })
      .expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await countRows(t.db, 'users')).toBe(0);
  });

  it('answers a 2 MB JSON body with a 413 that Node\'s fetch reads, every time; nothing is written', async () => {
    const body = JSON.stringify({ email: 'stor@example.se', password: 'x'.repeat(2 * 1024 * 1024), name: 'Stor' });
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${t.app.baseUrl}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect({ i, status: res.status, body: await res.json() }).toEqual({
        i,
        status: 413,
        body: { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request entity too large', requestId: expect.any(String) },
      });
    }
    expect(await countRows(t.db, 'users')).toBe(0);
  });

  it('answers a repeated GET with 304 when its weak ETag still matches', async () => {
    const first = await t.app.http.get('/api/v1/themes').expect(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers.etag).toMatch(/^W\/"[^"]+"$/);
    const again = await t.app.http.get('/api/v1/themes').set('If-None-Match', first.headers.etag).expect(304);
    expect(again.text).toBe('');
    await t.app.http.get('/api/v1/themes').set('If-None-Match', 'W/"0-other"').expect(200);
  });

  it('reads JSON (an empty body as {}) and forms; refuses prototype poisoning, compressed bodies and other types; nothing is written', async () => {
    const before = await countRows(t.db, 'users');
    const register = () => t.app.http.post('/api/v1/auth/register');
    const body = { email: 'kodning@example.se', password: 'korrekt-häst-batteri', name: 'Kodning' };
    const poisoned = await register().set('Content-Type', 'application/json').send(`{"__proto__":{"admin":true},"email":"x@example.se"}`).expect(400);
    expect(poisoned.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    const notAnObject = await register().set('Content-Type', 'application/json').send('"kodning@example.se"').expect(400);
    expect(notAnObject.body.code).toBe('VALIDATION_FAILED');
    const empty = await register().set('Content-Type', 'application/json').send('').expect(400);
    expect(empty.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['email', 'password', 'name']));
    const text = await register().set('Content-Type', 'text/plain').send(JSON.stringify(body)).expect(415);
    expect(text.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', requestId: expect.any(String) });
    const gzipped = await register()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((bytes: Buffer) => bytes as unknown as string) // sent as these bytes (superagent types say string), not re-encoded as JSON
      .send(gzipSync(JSON.stringify(body)))
      .expect(415);
    expect(gzipped.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await countRows(t.db, 'users')).toBe(before);
    const form = await register().type('form').send(body).expect(201);
    expect(form.body.user).toMatchObject({ email: 'kodning@example.se', name: 'Kodning' });
  });

  it('answers a path with a malformed percent-encoding in the error shape, with the security headers; nothing is written', async () => {
    const before = await countRows(t.db, 'users');
    const path = await t.app.http.post('/api/v1/auth/%E0%A4%A/register').set('X-Request-Id', 'trace-bad-path').send({}).expect(400);
    expect(path.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: "Failed to decode param '%E0%A4%A'", requestId: 'trace-bad-path' });
    expect(path.headers['x-content-type-options']).toBe('nosniff');
    expect(path.headers['content-security-policy']).toContain("default-src 'self'");
    expect(await countRows(t.db, 'users')).toBe(before);
  });

  it('documents every route in OpenAPI with its responses', async () => {
    const res = await t.app.http.get('/api/docs-json').expect(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`),
    );
    for (const route of [
      'POST /api/v1/auth/register',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/magic-link',
      'POST /api/v1/auth/magic-link/verify',
      'GET /api/v1/me',
      'GET /api/v1/municipalities',
      'GET /api/v1/themes',
      'GET /api/v1/formats',
      'GET /api/v1/accessibility-features',
      'GET /api/v1/mail/outbox/summary',
      'GET /health',
    ]) {
      expect(documented).toContain(route);
    }
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: object; summary?: string }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        expect({ route: `${method} ${p}`, summary: Boolean(op.summary) }).toEqual({ route: `${method} ${p}`, summary: true });
      }
    }
    expect(doc.components.schemas.RegisterDto.properties.email.example).toBeDefined();
    await t.app.http.get('/api/docs').expect(200);
  });

  it('entities and migrations describe the same schema (migration:generate would find nothing)', async () => {
    const sql = await t.app.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('creates the bootstrap coordinator once and leaves it alone on the next start', async () => {
    const env = { BOOTSTRAP_ADMIN_EMAIL: 'Samordnare@Example.se', BOOTSTRAP_ADMIN_PASSWORD: 'första-lösenordet' };
    const first = await startTestApp({ databaseUrl: t.db.url, env });
    await first.close();
    const second = await startTestApp({
      databaseUrl: t.db.url,
      env: { ...env, BOOTSTRAP_ADMIN_PASSWORD: 'ett-annat-lösenord' },
    });
    await second.close();
    const rows = await t.db.query<{ global_role: string }>(`SELECT global_role FROM users WHERE email = 'samordnare@example.se'`);
    expect(rows).toEqual([{ global_role: 'coordinator' }]);
    const login = await t.app.http
      .post('/api/v1/auth/login')
      .send({ email: 'samordnare@example.se', password: 'första-lösenordet' })
      .expect(200);
    expect(login.body.user.globalRole).toBe('coordinator');
    await t.app.http.get('/api/v1/mail/outbox/summary').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
  });
});
