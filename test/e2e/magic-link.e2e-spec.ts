import { countRows, givenUser, uniqueEmail } from '../support/factories.js';
import { WebClient } from '../support/browser.js';
import { useTestContext } from '../support/context.js';

function tokenFrom(text: string): string {
  const match = /magic-link\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no sign-in link in: ${text}`);
  return match[1];
}

describe('magic link sign-in', () => {
  const t = useTestContext({ smtp: true, env: { MAGIC_LINK_TTL_MINUTES: '15' } });

  it('emails a link whose token signs in once; a second use is refused', async () => {
    const user = await givenUser(t, { name: 'Britt Nilsson' });
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: user.email.toUpperCase() }).expect(202);
    await t.app.dispatchMail();
    const [mail] = await t.smtp.waitForMailTo(user.email);
    expect(mail.subject).toBe('Din inloggningslänk till Kompetenslyft');
    expect(mail.text).toContain('Hej Britt Nilsson!');
    expect(mail.html).toContain('lang="sv"');
    expect(mail.messageId).toMatch(/@kompetenslyft\.se>?$/);
    const token = tokenFrom(mail.text!);
    expect(mail.text).toContain(`http://kompetenslyft.test/magic-link?token=${token}`);

    // Only the hash is stored.
    const stored = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM magic_link_tokens');
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const first = await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(200);
    expect(first.body.user.id).toBe(user.id);
    await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);

    const second = await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(401);
    expect(second.body.code).toBe('AUTH_MAGIC_LINK_INVALID');
  });

  it('refuses an expired link', async () => {
    const user = await givenUser(t, { locale: 'en' });
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: user.email }).expect(202);
    await t.app.dispatchMail();
    const [mail] = await t.smtp.waitForMailTo(user.email);
    expect(mail.subject).toBe('Your sign-in link for Kompetenslyft');
    t.app.clock.advance(16 * 60_000);
    try {
      const res = await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token: tokenFrom(mail.text!) }).expect(401);
      expect(res.body.code).toBe('AUTH_MAGIC_LINK_INVALID');
    } finally {
      t.app.clock.reset();
    }
  });

  it('signs in through the page the link opens (GET shows a button, POST signs in once)', async () => {
    const user = await givenUser(t);
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: user.email }).expect(202);
    await t.app.dispatchMail();
    const token = tokenFrom((await t.smtp.waitForMailTo(user.email))[0].text!);

    const page = await t.app.http.get(`/magic-link?token=${token}`).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain(`value="${token}"`);
    // Opening the page does not use the token up (mail scanners follow links).
    expect(await countRows(t.db, 'magic_link_tokens', 'used_at IS NOT NULL AND user_id = $1', [user.id])).toBe(0);

    // Pressing the button signs this browser in (a web session) and lands on the start page.
    const web = new WebClient(t.app);
    await web.get(`/magic-link?token=${token}`);
    const done = await web.post('/magic-link', { token, next: '/' });
    expect([done.status, done.headers.location]).toEqual([303, '/']);
    expect(web.cookie('kl_session')).toBeDefined();
    expect((await web.get('/')).text).toContain('Välkommen, Test Person');
    const again = await web.post('/magic-link', { token });
    expect(again.status).toBe(400);
    expect(again.text).toContain('Länken fungerar inte');
  });

  it('answers 202 for an unknown address and sends nothing', async () => {
    const before = await countRows(t.db, 'mail_outbox');
    const email = uniqueEmail('ghost');
    await t.app.http.post('/api/v1/auth/magic-link').send({ email }).expect(202);
    expect(await countRows(t.db, 'mail_outbox')).toBe(before);
  });

  it('validates input: bad email 400, bad token 400, unknown token 401', async () => {
    const before = await countRows(t.db, 'mail_outbox');
    const bad = await t.app.http.post('/api/v1/auth/magic-link').send({ email: 'nope' }).expect(400);
    expect(bad.body.details[0].field).toBe('email');
    expect(await countRows(t.db, 'mail_outbox')).toBe(before);
    const short = await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token: 'abc' }).expect(400);
    expect(short.body.details[0].field).toBe('token');
    await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token: 'x'.repeat(43) }).expect(401);
  });

  it('caps sign-in links per account at five an hour, even when asked for concurrently', async () => {
    const user = await givenUser(t);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => t.app.http.post('/api/v1/auth/magic-link').send({ email: user.email })),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(await countRows(t.db, 'magic_link_tokens', 'user_id = $1', [user.id])).toBe(5);
    expect(await countRows(t.db, 'mail_outbox', 'to_address = $1', [user.email])).toBe(5);
  });
});
