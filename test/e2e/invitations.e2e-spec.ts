import { countRows, givenUser, uniqueEmail } from '../support/factories.js';
import { WebClient } from '../support/browser.js';
import { givenOrganisation } from '../support/organisation-factories.js';
import { useTestContext } from '../support/context.js';

function tokenFrom(text: string): string {
  const match = /\/invite\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!match) throw new Error(`no invitation link in: ${text}`);
  return match[1];
}

/** The form's action and hidden/visible field names, read from the page as a browser would. */
function formOf(html: string): { action: string; fields: string[] } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the page');
  const fields = [...html.matchAll(/<input [^>]*name="([^"]+)"/g)].map((m) => m[1]);
  return { action: action.replace(/&amp;/g, '&'), fields };
}

describe('invitations: email, accessible page, JSON route, single use', () => {
  const t = useTestContext({ smtp: true });

  async function invite(orgId: string, auth: { Authorization: string }, email: string, extra: Record<string, unknown> = {}) {
    const res = await t.app.http
      .post(`/api/v1/organisations/${orgId}/invitations`)
      .set(auth)
      .send({ email, role: 'employee', jobTitle: 'Arbetshandledare', ...extra })
      .expect(201);
    await t.app.dispatchMail();
    const mails = await t.smtp.waitForMailTo(email, t.smtp.to(email).length || 1);
    return { invitation: res.body, mail: mails[mails.length - 1] };
  }

  it('a new person accepts through the page: fetch it, post its form, and can sign in', async () => {
    const org = await givenOrganisation(t, { name: 'Returbutiken' });
    const email = uniqueEmail('ny');
    const { invitation, mail } = await invite(org.id, org.admin.auth, email);
    expect(invitation).toMatchObject({ kind: 'organisation', targetId: org.id, email, role: 'employee', jobTitle: 'Arbetshandledare' });
    expect(mail.subject).toBe('Du är inbjuden till Returbutiken i Kompetenslyft');
    expect(mail.text).toContain('som anställd');
    const token = tokenFrom(mail.text!);

    const web = new WebClient(t.app);
    const page = await web.get(`/invite/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toMatch(/<label class="govuk-label" for="name">\s*Ditt namn\s*<\/label>/);
    expect(page.text).toMatch(/<label class="govuk-label" for="password">\s*Välj ett lösenord\s*<\/label>/);
    const form = formOf(page.text);
    expect(form.fields).toEqual(['_csrf', 'name', 'password']);

    // Errors are shown next to their fields and summarised first; nothing is written.
    const invalid = await web.post(form.action, { name: '', password: 'kort' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('role="alert"');
    expect(invalid.text).toContain('id="name-error"');
    expect(invalid.text).toMatch(/id="password"[^>]*aria-describedby="password-hint password-error"[^>]*aria-invalid="true"/);
    expect(await countRows(t.db, 'users', 'email = $1', [email])).toBe(0);

    const done = await web.post(form.action, { name: 'Nina Ny', password: 'mitt-nya-lösenord' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Du är nu med i Returbutiken');

    const login = await t.app.http.post('/api/v1/auth/login').send({ email, password: 'mitt-nya-lösenord' }).expect(200);
    const me = await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body.memberships).toEqual([
      { kind: 'organisation', id: org.id, name: 'Returbutiken', role: 'employee', jobTitle: 'Arbetshandledare' },
    ]);

    // Used: the page and the API both refuse it now.
    const again = await t.app.http.get(`/invite/${token}`).expect(409);
    expect(again.text).toContain('Inbjudan är redan använd');
    const api = await t.app.http.post(`/api/v1/invitations/${token}/accept`).send({}).expect(409);
    expect(api.body.code).toBe('INVITATION_ALREADY_USED');
  });

  it('a person with a verified account must sign in: the link alone is refused (401), with the token it joins', async () => {
    const org = await givenOrganisation(t);
    const existing = await givenUser(t, { name: 'Olle Befintlig' });
    await t.db.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [existing.id]);
    const { mail } = await invite(org.id, org.admin.auth, existing.email, { role: 'org_admin' });
    const token = tokenFrom(mail.text!);

    const preview = await t.app.http.get(`/api/v1/invitations/${token}`).expect(200);
    expect(preview.body).toMatchObject({ kind: 'organisation', email: existing.email, role: 'org_admin', accountExists: true });

    const page = await t.app.http.get(`/invite/${token}`).expect(200);
    expect(page.text).not.toContain('<form');
    expect(page.text).toContain('Logga in i Kompetenslyft och tacka ja där');
    // Pressed anyway (a form posted by hand with this browser's CSRF token): refused, nobody joins.
    const web = new WebClient(t.app);
    await web.get('/logga-in');
    const pressed = await web.post(`/invite/${token}`);
    expect(pressed.status).toBe(401);
    expect(pressed.text).toContain('Logga in i Kompetenslyft och tacka ja där');

    const refused = await t.app.http.post(`/api/v1/invitations/${token}/accept`).send({ name: 'Någon', password: 'ett-långt-lösenord' }).expect(401);
    expect(refused.body.code).toBe('INVITATION_SIGN_IN_REQUIRED');
    expect(await countRows(t.db, 'organisation_members', 'organisation_id = $1 AND user_id = $2', [org.id, existing.id])).toBe(0);
    expect(await countRows(t.db, 'invitations', 'email = $1 AND accepted_at IS NULL', [existing.email])).toBe(1);

    const res = await t.app.http.post(`/api/v1/invitations/${token}/accept`).set(existing.auth).send({}).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['membership', 'user']);
    expect(res.body.user).toMatchObject({ id: existing.id, emailVerified: true });
    expect(res.body.membership).toMatchObject({ kind: 'organisation', targetId: org.id, role: 'org_admin' });
    await t.app.http.get(`/api/v1/organisations/${org.id}/members`).set(existing.auth).expect(200);
  });

  it('a new person accepts through the JSON route: name and password required', async () => {
    const org = await givenOrganisation(t);
    const email = uniqueEmail('json');
    const { mail } = await invite(org.id, org.admin.auth, email);
    const token = tokenFrom(mail.text!);
    const missing = await t.app.http.post(`/api/v1/invitations/${token}/accept`).send({ name: 'Utan Lösen' }).expect(400);
    expect(missing.body.details).toEqual([{ field: 'password', messages: ['is required for a new account'] }]);
    expect(await countRows(t.db, 'users', 'email = $1', [email])).toBe(0);
    const res = await t.app.http.post(`/api/v1/invitations/${token}/accept`).send({ name: 'Jonna Json', password: 'ett-långt-lösenord' }).expect(200);
    expect(res.body).not.toHaveProperty('accessToken');
    expect(res.body.user).toMatchObject({ email, name: 'Jonna Json', emailVerified: true });
    const login = await t.app.http.post('/api/v1/auth/login').send({ email, password: 'ett-långt-lösenord' }).expect(200);
    await t.app.http.get('/api/v1/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
  });

  it('a signed-in caller must be the invited address (403)', async () => {
    const org = await givenOrganisation(t);
    const other = await givenUser(t);
    const { mail } = await invite(org.id, org.admin.auth, uniqueEmail('x'));
    const res = await t.app.http
      .post(`/api/v1/invitations/${tokenFrom(mail.text!)}/accept`)
      .set(other.auth)
      .send({})
      .expect(403);
    expect(res.body.code).toBe('INVITATION_EMAIL_MISMATCH');
    expect(await countRows(t.db, 'organisation_members', 'organisation_id = $1', [org.id])).toBe(1);
  });

  it('refuses an expired link', async () => {
    const org = await givenOrganisation(t);
    const email = uniqueEmail('late');
    const { mail } = await invite(org.id, org.admin.auth, email);
    const token = tokenFrom(mail.text!);
    t.app.clock.advance(15 * 24 * 3600_000);
    try {
      const res = await t.app.http.post(`/api/v1/invitations/${token}/accept`).send({ name: 'Sen', password: 'ett-långt-lösenord' }).expect(409);
      expect(res.body.code).toBe('INVITATION_EXPIRED');
      const page = await t.app.http.get(`/invite/${token}`).expect(409);
      expect(page.text).toContain('Inbjudan har gått ut');
      expect(await countRows(t.db, 'users', 'email = $1', [email])).toBe(0);
    } finally {
      t.app.clock.reset();
    }
  });

  it('re-inviting sends a fresh link and voids the old one; withdrawing voids too', async () => {
    const org = await givenOrganisation(t);
    const email = uniqueEmail('twice');
    const first = await invite(org.id, org.admin.auth, email);
    const second = await invite(org.id, org.admin.auth, email);
    expect(second.invitation.id).not.toBe(first.invitation.id);
    const oldToken = tokenFrom(first.mail.text!);
    const res = await t.app.http.post(`/api/v1/invitations/${oldToken}/accept`).send({ name: 'A', password: 'ett-långt-lösenord' }).expect(409);
    expect(res.body.code).toBe('INVITATION_VOIDED');

    const open = await t.app.http.get(`/api/v1/organisations/${org.id}/invitations`).set(org.admin.auth).expect(200);
    expect(open.body).toEqual({ items: [expect.objectContaining({ id: second.invitation.id })], total: 1 });
    await t.app.http.delete(`/api/v1/organisations/${org.id}/invitations/${second.invitation.id}`).set(org.admin.auth).expect(204);
    const withdrawn = await t.app.http.post(`/api/v1/invitations/${tokenFrom(second.mail.text!)}/accept`).send({}).expect(409);
    expect(withdrawn.body.code).toBe('INVITATION_VOIDED');
    await t.app.http.delete(`/api/v1/organisations/${org.id}/invitations/${second.invitation.id}`).set(org.admin.auth).expect(404);
  });

  it('inviting someone already a member is 409, writing nothing', async () => {
    const org = await givenOrganisation(t);
    const before = await countRows(t.db, 'invitations');
    const res = await t.app.http
      .post(`/api/v1/organisations/${org.id}/invitations`)
      .set(org.admin.auth)
      .send({ email: org.admin.email.toUpperCase(), role: 'employee' })
      .expect(409);
    expect(res.body.code).toBe('ALREADY_MEMBER');
    expect(await countRows(t.db, 'invitations')).toBe(before);
  });

  it('writes the email in English for a person whose account is in English', async () => {
    const org = await givenOrganisation(t, { name: 'Second Hand Coop' });
    const english = await givenUser(t, { locale: 'en' });
    const { mail } = await invite(org.id, org.admin.auth, english.email);
    expect(mail.subject).toBe('You are invited to Second Hand Coop on Kompetenslyft');
    const page = await t.app.http.get(`/invite/${tokenFrom(mail.text!)}`).expect(200);
    expect(page.text).toContain('<html lang="en">');
  });

  it('answers unknown tokens with 404 and bad invitation input with 400, writing nothing', async () => {
    const org = await givenOrganisation(t);
    const unknown = await t.app.http.get(`/api/v1/invitations/${'A'.repeat(43)}`).expect(404);
    expect(unknown.body.code).toBe('INVITATION_NOT_FOUND');
    await t.app.http.get(`/invite/${'A'.repeat(43)}`).expect(404);
    const before = await countRows(t.db, 'invitations');
    for (const [payload, field] of [
      [{ email: 'nope', role: 'employee' }, 'email'],
      [{ email: uniqueEmail(), role: 'coordinator' }, 'role'],
      [{ role: 'employee' }, 'email'],
      [{ email: uniqueEmail(), role: 'employee', locale: 'de' }, 'locale'],
    ] as const) {
      const res = await t.app.http.post(`/api/v1/organisations/${org.id}/invitations`).set(org.admin.auth).send(payload).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    await t.app.http.post(`/api/v1/organisations/not-a-uuid/invitations`).set(org.admin.auth).send({ email: uniqueEmail(), role: 'employee' }).expect(400);
    await t.app.http
      .post(`/api/v1/organisations/00000000-0000-4000-8000-000000000000/invitations`)
      .set(org.admin.auth)
      .send({ email: uniqueEmail(), role: 'employee' })
      .expect(404);
    expect(await countRows(t.db, 'invitations')).toBe(before);
  });
});
