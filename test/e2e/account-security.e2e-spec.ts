import { givenProvider, givenSession } from '../support/bookings-factories.js';
import { countRows, givenUser, uniqueEmail, type GivenUser } from '../support/factories.js';
import { WebClient } from '../support/browser.js';
import { givenOrganisation } from '../support/organisation-factories.js';
import { useTestContext } from '../support/context.js';

function linkToken(text: string, path: 'invite/' | 'magic-link?token=' | 'reset-password?token='): string {
  const escaped = path.replace(/[?]/g, '\\?');
  const match = new RegExp(`/${escaped}([A-Za-z0-9_-]{43})`).exec(text);
  if (!match) throw new Error(`no ${path} link in: ${text}`);
  return match[1];
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Issue 24: F1 (no takeover through pre-registration), F7 (revocable sign-in: token version,
 * sign-out everywhere, password change, reset by email) and F6 (an atomic throttle; TRUST_PROXY
 * as a list of proxies). The app trusts the loopback proxy, as behind a local reverse proxy.
 */
describe('account security', () => {
  const t = useTestContext({ smtp: true, env: { TRUST_PROXY: 'loopback' } });

  async function inviteAndGetToken(orgId: string, admin: GivenUser, email: string, role = 'employee'): Promise<string> {
    await t.app.http.post(`/api/v1/organisations/${orgId}/invitations`).set(admin.auth).send({ email, role }).expect(201);
    await t.app.dispatchMail();
    const mails = await t.smtp.waitForMailMatching(email, (m) => /\/invite\//.test(m.text ?? '') && !usedTokens.has(linkToken(m.text!, 'invite/')));
    const token = linkToken(mails.text!, 'invite/');
    usedTokens.add(token);
    return token;
  }
  const usedTokens = new Set<string>();

  async function lastMailLink(email: string, path: 'magic-link?token=' | 'reset-password?token=', subject: RegExp): Promise<string> {
    await t.app.dispatchMail();
    const mail = await t.smtp.waitForMailMatching(email, (m) => subject.test(m.subject ?? '') && !usedTokens.has(linkToken(m.text!, path)));
    const token = linkToken(mail.text!, path);
    usedTokens.add(token);
    return token;
  }

  describe('F1: pre-registration and invitations', () => {
    it('the real person who opens the invitation owns the pre-registered account; the pre-registrant is locked out (review probe P2)', async () => {
      const org = await givenOrganisation(t, { name: 'Returbutiken' });
      const victimEmail = uniqueEmail('kollega');
      const attacker = await givenUser(t, { email: victimEmail, password: 'attacker-password-1', name: 'Inkräktare' });
      const token = await inviteAndGetToken(org.id, org.admin, victimEmail, 'org_admin');

      // The page asks the link holder for a name and a password, as for a new account.
      const preview = await t.app.http.get(`/api/v1/invitations/${token}`).expect(200);
      expect(preview.body.accountExists).toBe(false);
      const page = await t.app.http.get(`/invite/${token}`).expect(200);
      expect([...page.text.matchAll(/<input [^>]*name="([^"]+)"/g)].map((m) => m[1]).filter((name) => name !== '_csrf')).toEqual(['name', 'password']);
      // Pressing the button with nothing filled in (the probe) joins nobody.
      const web = new WebClient(t.app);
      await web.get(`/invite/${token}`);
      expect((await web.post(`/invite/${token}`)).status).toBe(400);
      expect(await countRows(t.db, 'organisation_members', 'organisation_id = $1 AND user_id = $2', [org.id, attacker.id])).toBe(0);

      expect((await web.post(`/invite/${token}`, { name: 'Riktiga Kollegan', password: 'kollegans-eget-lösenord' })).status).toBe(200);

      // The pre-registrant's password and token no longer work.
      const login = await t.app.http.post('/api/v1/auth/login').send({ email: victimEmail, password: 'attacker-password-1' }).expect(401);
      expect(login.body.code).toBe('AUTH_INVALID_CREDENTIALS');
      const members = await t.app.http.get(`/api/v1/organisations/${org.id}/members`).set(attacker.auth).expect(401);
      expect(members.body.code).toBe('AUTH_TOKEN_REVOKED');

      // The real person signs in with their own password and is the org admin.
      const own = await t.app.http.post('/api/v1/auth/login').send({ email: victimEmail, password: 'kollegans-eget-lösenord' }).expect(200);
      expect(own.body.user).toMatchObject({ id: attacker.id, name: 'Riktiga Kollegan', emailVerified: true });
      await t.app.http.get(`/api/v1/organisations/${org.id}/members`).set(bearer(own.body.accessToken)).expect(200);
      const [row] = await t.db.query<{ auth_version: number; verified: boolean }>(
        'SELECT auth_version, email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1',
        [attacker.id],
      );
      expect(row).toEqual({ auth_version: 1, verified: true });
      const [audit] = await t.db.query<{ details: Record<string, unknown> }>(
        `SELECT details FROM audit_log WHERE action = 'invitation.accepted' AND organisation_id = $1`,
        [org.id],
      );
      expect(audit.details).toMatchObject({ role: 'org_admin', unverifiedAccountClaimed: true });
    });

    it('an invitation never hands out an access token, also not for an existing account', async () => {
      const org = await givenOrganisation(t);
      const email = uniqueEmail('ny');
      const token = await inviteAndGetToken(org.id, org.admin, email);
      const res = await t.app.http.post(`/api/v1/invitations/${token}/accept`).send({ name: 'Ny Person', password: 'ett-långt-lösenord' }).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['membership', 'user']);
      expect(JSON.stringify(res.body)).not.toMatch(/eyJ/);
    });

    it('a verified account: the link alone is refused (401) and nothing is written', async () => {
      const org = await givenOrganisation(t);
      const person = await givenUser(t);
      await t.db.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [person.id]);
      const token = await inviteAndGetToken(org.id, org.admin, person.email);
      const before = await t.db.query('SELECT password_hash, auth_version, name FROM users WHERE id = $1', [person.id]);
      const res = await t.app.http.post(`/api/v1/invitations/${token}/accept`).send({ name: 'Annan', password: 'någon-annans-lösenord' }).expect(401);
      expect(res.body.code).toBe('INVITATION_SIGN_IN_REQUIRED');
      expect(await t.db.query('SELECT password_hash, auth_version, name FROM users WHERE id = $1', [person.id])).toEqual(before);
      expect(await countRows(t.db, 'organisation_members', 'organisation_id = $1 AND user_id = $2', [org.id, person.id])).toBe(0);
      // The signed-in person accepts; their token stays valid.
      await t.app.http.post(`/api/v1/invitations/${token}/accept`).set(person.auth).send({}).expect(200);
      await t.app.http.get('/api/v1/me').set(person.auth).expect(200);
    });

    it('a registration racing the invited person for a new address: exactly one account, owned by the link holder', async () => {
      const org = await givenOrganisation(t);
      for (let round = 0; round < 4; round++) {
        const email = uniqueEmail('race');
        const token = await inviteAndGetToken(org.id, org.admin, email);
        const [registered, accepted] = await Promise.all([
          t.app.http.post('/api/v1/auth/register').send({ email, password: 'attacker-password-1', name: 'Snabb' }),
          t.app.http.post(`/api/v1/invitations/${token}/accept`).send({ name: 'Inbjuden', password: 'den-inbjudnas-lösenord' }),
        ]);
        expect(accepted.status).toBe(200);
        expect([201, 409]).toContain(registered.status);
        expect(await countRows(t.db, 'users', 'email = $1', [email])).toBe(1);
        const [user] = await t.db.query<{ id: string; name: string }>('SELECT id, name FROM users WHERE email = $1', [email]);
        expect(user.name).toBe('Inbjuden');
        expect(accepted.body.user.id).toBe(user.id);
        expect(await countRows(t.db, 'organisation_members', 'organisation_id = $1 AND user_id = $2', [org.id, user.id])).toBe(1);
        expect((await t.app.http.post('/api/v1/auth/login').send({ email, password: 'attacker-password-1' })).status).toBe(401);
        await t.app.http.post('/api/v1/auth/login').send({ email, password: 'den-inbjudnas-lösenord' }).expect(200);
        if (registered.status === 201) {
          await t.app.http.get('/api/v1/me').set(bearer(registered.body.accessToken)).expect(401);
        }
      }
    });

    it('two invitations for one unverified address accepted at once: one link holder becomes the owner, the other must sign in', async () => {
      const orgA = await givenOrganisation(t);
      const orgB = await givenOrganisation(t);
      const email = uniqueEmail('två');
      const pre = await givenUser(t, { email, password: 'attacker-password-1' });
      const tokenA = await inviteAndGetToken(orgA.id, orgA.admin, email);
      const tokenB = await inviteAndGetToken(orgB.id, orgB.admin, email);
      const results = await Promise.all([
        t.app.http.post(`/api/v1/invitations/${tokenA}/accept`).send({ name: 'A', password: 'lösenord-från-a-länken' }),
        t.app.http.post(`/api/v1/invitations/${tokenB}/accept`).send({ name: 'B', password: 'lösenord-från-b-länken' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.findIndex((r) => r.status === 200);
      expect(results[1 - winner].body.code).toBe('INVITATION_SIGN_IN_REQUIRED');
      expect(await countRows(t.db, 'organisation_members', 'user_id = $1', [pre.id])).toBe(1);
      const [user] = await t.db.query<{ name: string; auth_version: number }>('SELECT name, auth_version FROM users WHERE id = $1', [pre.id]);
      expect(user).toEqual({ name: winner === 0 ? 'A' : 'B', auth_version: 1 });
      await t.app.http
        .post('/api/v1/auth/login')
        .send({ email, password: winner === 0 ? 'lösenord-från-a-länken' : 'lösenord-från-b-länken' })
        .expect(200);
    });

    it('a sign-in link to a pre-registered address: the link holder gets in, the registrant\'s password and tokens stop working', async () => {
      const email = uniqueEmail('förregistrerad');
      const registrant = await givenUser(t, { email, password: 'attacker-password-1' });
      await t.app.http.post('/api/v1/auth/magic-link').send({ email }).expect(202);
      const token = await lastMailLink(email, 'magic-link?token=', /inloggningslänk/);
      const signedIn = await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(200);
      expect(signedIn.body.user).toMatchObject({ id: registrant.id, emailVerified: true });
      await t.app.http.get('/api/v1/me').set(bearer(signedIn.body.accessToken)).expect(200);
      expect((await t.app.http.get('/api/v1/me').set(registrant.auth).expect(401)).body.code).toBe('AUTH_TOKEN_REVOKED');
      await t.app.http.post('/api/v1/auth/login').send({ email, password: 'attacker-password-1' }).expect(401);
      const [row] = await t.db.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [registrant.id]);
      expect(row.password_hash).toBeNull();

      // A verified account's sign-in link changes nothing else: its password and tokens stay.
      await t.app.http.post('/api/v1/auth/password-reset').send({ email }).expect(202);
      const reset = await lastMailLink(email, 'reset-password?token=', /Välj ett nytt lösenord/);
      await t.app.http.post('/api/v1/auth/password-reset/confirm').send({ token: reset, password: 'mitt-eget-lösenord' }).expect(200);
      const login = await t.app.http.post('/api/v1/auth/login').send({ email, password: 'mitt-eget-lösenord' }).expect(200);
      await t.app.http.post('/api/v1/auth/magic-link').send({ email }).expect(202);
      const second = await lastMailLink(email, 'magic-link?token=', /inloggningslänk/);
      await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token: second }).expect(200);
      await t.app.http.get('/api/v1/me').set(bearer(login.body.accessToken)).expect(200);
      await t.app.http.post('/api/v1/auth/login').send({ email, password: 'mitt-eget-lösenord' }).expect(200);
    });

    it('throttles registration of one address: 10 at once give 1 account, 4 conflicts and 5 refusals', async () => {
      const email = uniqueEmail('flood');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.app.http.post('/api/v1/auth/register').send({ email, password: `lösenord-nummer-${i}`, name: 'Flood' })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 429, 429, 429, 429, 429]);
      expect(results.find((r) => r.status === 429)!.body.code).toBe('AUTH_TOO_MANY_ATTEMPTS');
      expect(await countRows(t.db, 'users', 'email = $1', [email])).toBe(1);
    });

    it('verifies an address through an emailed link: requested by the signed-in person, completed by signing in with it', async () => {
      const person = await givenUser(t, { name: 'Vera Verifierad' });
      const me = await t.app.http.get('/api/v1/me').set(person.auth).expect(200);
      expect(me.body.emailVerified).toBe(false);
      await t.app.http.post('/api/v1/auth/email-verification').set(person.auth).send({}).expect(202);
      const token = await lastMailLink(person.email, 'magic-link?token=', /Bekräfta din e-postadress/);
      const verified = await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(200);
      expect(verified.body.user).toMatchObject({ id: person.id, emailVerified: true });
      // Asked for by the signed-in account itself: its password and tokens stay.
      await t.app.http.get('/api/v1/me').set(person.auth).expect(200);
      await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: person.password }).expect(200);
      const again = await t.app.http.post('/api/v1/auth/email-verification').set(person.auth).send({}).expect(409);
      expect(again.body.code).toBe('AUTH_EMAIL_ALREADY_VERIFIED');
      expect(await countRows(t.db, 'magic_link_tokens', 'user_id = $1', [person.id])).toBe(1);
      const refused = await t.app.http.post('/api/v1/auth/email-verification').send({}).expect(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('F7: revocable sign-in', () => {
    it('sign-out everywhere revokes every token of the account, on account-reading and handler-reading routes alike', async () => {
      const person = await givenUser(t);
      const other = await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: person.password }).expect(200);
      const bystander = await givenUser(t);
      await t.app.http.post('/api/v1/auth/sign-out-everywhere').set(person.auth).expect(204);
      for (const auth of [person.auth, bearer(other.body.accessToken)]) {
        const res = await t.app.http.get('/api/v1/me').set(auth).expect(401);
        expect(res.body.code).toBe('AUTH_TOKEN_REVOKED');
        // POST /sessions/:id/bookings reads the account in its handler: the version is checked all the same.
        const booking = await t.app.http.post('/api/v1/sessions/00000000-0000-4000-8000-000000000000/bookings').set(auth).send({}).expect(401);
        expect(booking.body.code).toBe('AUTH_TOKEN_REVOKED');
      }
      await t.app.http.get('/api/v1/me').set(bystander.auth).expect(200);
      const fresh = await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: person.password }).expect(200);
      await t.app.http.get('/api/v1/me').set(bearer(fresh.body.accessToken)).expect(200);
      // On a bookable session the revoked token books nothing (the handler compares the version in
      // its own read, before anything is written); the new token books.
      const session = await givenSession(t.db, await givenProvider(t.db));
      const revoked = await t.app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(person.auth).send({ accessibilityRequests: ['no-such-code'] }).expect(401);
      expect(revoked.body.code).toBe('AUTH_TOKEN_REVOKED');
      expect(await countRows(t.db, 'bookings', 'user_id = $1', [person.id])).toBe(0);
      expect(await countRows(t.db, 'mail_outbox', "to_address = $1 AND template LIKE 'booking%'", [person.email])).toBe(0);
      const booked = await t.app.http.post(`/api/v1/sessions/${session.id}/bookings`).set(bearer(fresh.body.accessToken)).send({}).expect(201);
      expect(booked.body.status).toBe('confirmed');
      const anonymous = await t.app.http.post('/api/v1/auth/sign-out-everywhere').expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    });

    it('changes the password with the current one: other tokens and the old password stop working', async () => {
      const person = await givenUser(t, { password: 'det-gamla-lösenordet' });
      const other = await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'det-gamla-lösenordet' }).expect(200);
      const [before] = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [person.id]);

      const wrong = await t.app.http.post('/api/v1/auth/password').set(person.auth).send({ currentPassword: 'fel-lösenord-här', newPassword: 'det-nya-lösenordet' }).expect(401);
      expect(wrong.body.code).toBe('AUTH_INVALID_CREDENTIALS');
      const short = await t.app.http.post('/api/v1/auth/password').set(person.auth).send({ currentPassword: 'det-gamla-lösenordet', newPassword: 'kort' }).expect(400);
      expect(short.body.details).toEqual([{ field: 'newPassword', messages: ['must be at least 10 characters long'] }]);
      expect(await t.db.query('SELECT password_hash FROM users WHERE id = $1', [person.id])).toEqual([before]);
      await t.app.http.post('/api/v1/auth/password').send({ currentPassword: 'det-gamla-lösenordet', newPassword: 'det-nya-lösenordet' }).expect(401);

      const changed = await t.app.http
        .post('/api/v1/auth/password')
        .set(person.auth)
        .send({ currentPassword: 'det-gamla-lösenordet', newPassword: 'det-nya-lösenordet' })
        .expect(200);
      await t.app.http.get('/api/v1/me').set(bearer(changed.body.accessToken)).expect(200);
      for (const auth of [person.auth, bearer(other.body.accessToken)]) {
        expect((await t.app.http.get('/api/v1/me').set(auth).expect(401)).body.code).toBe('AUTH_TOKEN_REVOKED');
      }
      await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'det-gamla-lösenordet' }).expect(401);
      await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'det-nya-lösenordet' }).expect(200);
    });

    it('resets a forgotten password by an emailed link, once; the link works for nothing else', async () => {
      const person = await givenUser(t, { name: 'Glömsk', password: 'bortglömt-lösenord' });
      await t.app.http.post('/api/v1/auth/password-reset').send({ email: uniqueEmail('okänd') }).expect(202);
      await t.app.http.post('/api/v1/auth/password-reset').send({ email: person.email.toUpperCase() }).expect(202);
      const token = await lastMailLink(person.email, 'reset-password?token=', /Välj ett nytt lösenord/);

      // Not a sign-in link.
      expect((await t.app.http.post('/api/v1/auth/magic-link/verify').send({ token }).expect(401)).body.code).toBe('AUTH_MAGIC_LINK_INVALID');
      const bad = await t.app.http.post('/api/v1/auth/password-reset/confirm').send({ token, password: 'kort' }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['password']);

      const done = await t.app.http.post('/api/v1/auth/password-reset/confirm').send({ token, password: 'ett-helt-nytt-lösenord' }).expect(200);
      expect(done.body).toEqual({ message: 'Your password is changed; sign in with it.' });
      expect((await t.app.http.get('/api/v1/me').set(person.auth).expect(401)).body.code).toBe('AUTH_TOKEN_REVOKED');
      await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'bortglömt-lösenord' }).expect(401);
      const login = await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'ett-helt-nytt-lösenord' }).expect(200);
      expect(login.body.user.emailVerified).toBe(true);

      const reused = await t.app.http.post('/api/v1/auth/password-reset/confirm').send({ token, password: 'ett-tredje-lösenord' }).expect(401);
      expect(reused.body.code).toBe('AUTH_RESET_LINK_INVALID');
      // A sign-in link cannot reset a password.
      await t.app.http.post('/api/v1/auth/magic-link').send({ email: person.email }).expect(202);
      const signIn = await lastMailLink(person.email, 'magic-link?token=', /inloggningslänk/);
      expect((await t.app.http.post('/api/v1/auth/password-reset/confirm').send({ token: signIn, password: 'ett-tredje-lösenord' }).expect(401)).body.code).toBe(
        'AUTH_RESET_LINK_INVALID',
      );
      await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'ett-helt-nytt-lösenord' }).expect(200);
    });
  });

  describe('F6: the throttle under concurrency, and the client address behind a proxy', () => {
    it('40 wrong passwords at once with a limit of 5: exactly 5 are evaluated (review probe P1)', async () => {
      const victim = await givenUser(t);
      const limit = t.app.config.loginMaxFailuresPerAccount;
      expect(limit).toBe(5);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => t.app.http.post('/api/v1/auth/login').send({ email: victim.email, password: `wrong-guess-${i}` })),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(35);
      expect(await countRows(t.db, 'login_failures', `kind = 'login' AND account_key = $1`, [victim.email])).toBe(5);
      // The right password is not even tried now.
      await t.app.http.post('/api/v1/auth/login').send({ email: victim.email, password: victim.password }).expect(429);
    });

    it('takes the client address from the right-most X-Forwarded-For entry not written by a trusted proxy', async () => {
      const email = uniqueEmail('proxy');
      await t.app.http.post('/api/v1/auth/login').set('X-Forwarded-For', '6.6.6.6, 203.0.113.7').send({ email, password: 'gissning-123' }).expect(401);
      await t.app.http.post('/api/v1/auth/login').send({ email, password: 'gissning-456' }).expect(401);
      const rows = await t.db.query<{ address: string }>('SELECT address FROM login_failures WHERE account_key = $1 ORDER BY id', [email]);
      expect(rows.map((r) => r.address)).toEqual(['203.0.113.7', '127.0.0.1']);
    });
  });
});
