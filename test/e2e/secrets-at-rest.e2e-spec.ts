import { useTestContext } from '../support/context.js';
import { countRows, givenUser, uniqueEmail } from '../support/factories.js';
import { givenOrganisation, uniqueOrgNumber } from '../support/organisation-factories.js';
import { MailDispatcher } from '../../src/mail/mail-dispatcher.js';
import { IdempotencyPurge } from '../../src/common/idempotency/idempotency.interceptor.js';

/**
 * Issue 24, F3: no live secrets or stray personal data at rest. Sent emails lose their bodies (which
 * held live links), idempotency replays are never stored for anonymous callers (whose answers hold
 * tokens and addresses), both are purged on a schedule, and erasure leaves the address nowhere.
 */
describe('secrets and personal data at rest', () => {
  const t = useTestContext({ smtp: true });

  it('stores no replay for anonymous routes: register, login and magic-link verify with an Idempotency-Key (probe P3)', async () => {
    const email = uniqueEmail('idem');
    const first = await t.app.http.post('/api/v1/auth/register').set('Idempotency-Key', 'reg-1').send({ email, password: 'ett-bra-lösenord', name: 'Idem' }).expect(201);
    expect(first.body.accessToken).toEqual(expect.any(String));
    // Not replayed (a replay would hand out the token again): the second call acts, and conflicts.
    const second = await t.app.http.post('/api/v1/auth/register').set('Idempotency-Key', 'reg-1').send({ email, password: 'ett-bra-lösenord', name: 'Idem' }).expect(409);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    await t.app.http.post('/api/v1/auth/login').set('Idempotency-Key', 'login-1').send({ email, password: 'ett-bra-lösenord' }).expect(200);
    expect(await countRows(t.db, 'idempotency_keys', `key IN ('reg-1', 'login-1') OR scope = 'anonymous'`)).toBe(0);
    const rows = await t.db.query<{ body: string }>(`SELECT coalesce(response_body::text, '') AS body FROM idempotency_keys`);
    for (const row of rows) expect(row.body).not.toContain(first.body.accessToken);
  });

  it('blanks a sent email’s body (it held a live sign-in link) and keeps what operations need', async () => {
    const person = await givenUser(t);
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: person.email }).expect(202);
    const [pending] = await t.db.query<{ text_body: string }>(`SELECT text_body FROM mail_outbox WHERE to_address = $1`, [person.email]);
    expect(pending.text_body).toContain('magic-link?token=');
    await t.app.dispatchMail();
    const [mail] = await t.smtp.waitForMailTo(person.email);
    expect(mail.text).toContain('magic-link?token=');
    const rows = await t.db.query(
      `SELECT to_address, template, subject, status, text_body, html_body, attachments, sent_at IS NOT NULL AS sent, message_id IS NOT NULL AS has_message_id
         FROM mail_outbox WHERE to_address = $1`,
      [person.email],
    );
    expect(rows).toEqual([
      {
        to_address: person.email,
        template: 'magic-link',
        subject: 'Din inloggningslänk till Kompetenslyft',
        status: 'sent',
        text_body: '',
        html_body: '',
        attachments: null,
        sent: true,
        has_message_id: true,
      },
    ]);
  });

  it('purges sent emails after MAIL_RETENTION_DAYS and idempotency keys after 24 hours', async () => {
    const person = await givenUser(t);
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: person.email }).expect(202);
    await t.app.dispatchMail();
    const org = await t.app.http
      .post('/api/v1/organisations')
      .set(person.auth)
      .set('Idempotency-Key', 'create-org-1')
      .send({ name: 'Rensas Förening', orgNumber: uniqueOrgNumber(), legalForm: 'ideell_forening', sector: 'social_economy', municipalityCode: '0380' })
      .expect(201);
    expect(await countRows(t.db, 'idempotency_keys', 'scope = $1', [person.id])).toBe(1);
    const purge = t.app.app.get(IdempotencyPurge);
    const mail = t.app.app.get(MailDispatcher);
    try {
      t.app.clock.advance(23 * 3600_000);
      await purge.purgeExpired();
      expect(await countRows(t.db, 'idempotency_keys', 'scope = $1', [person.id])).toBe(1);
      t.app.clock.advance(3600_000 + 1000);
      await purge.purgeExpired();
      expect(await countRows(t.db, 'idempotency_keys', 'scope = $1', [person.id])).toBe(0);
      expect(org.body.id).toEqual(expect.any(String));

      expect(await mail.purgeOld()).toBe(0);
      expect(await countRows(t.db, 'mail_outbox', 'to_address = $1', [person.email])).toBe(1);
      t.app.clock.advance(t.app.config.mailRetentionDays * 24 * 3600_000);
      expect(await mail.purgeOld()).toBeGreaterThanOrEqual(1);
      expect(await countRows(t.db, 'mail_outbox', 'to_address = $1', [person.email])).toBe(0);
      expect(await countRows(t.db, 'mail_outbox', `status IN ('sent', 'failed') AND coalesce(sent_at, created_at) < $1`, [t.app.clock.now()])).toBe(0);
    } finally {
      t.app.clock.reset();
    }
  });

  it('after DELETE /me no text or JSON column of any table holds the erased address or name', async () => {
    const name = `Ernst Raderasson ${Date.now().toString(36)}`;
    // Registered with an Idempotency-Key: before, its replay (token, address, name) outlived erasure under 'anonymous'.
    const email = uniqueEmail('raderas');
    const registered = await t.app.http.post('/api/v1/auth/register').set('Idempotency-Key', 'erase-me').send({ email, password: 'raderas-lösenord-1', name }).expect(201);
    const person = { id: registered.body.user.id as string, email, auth: { Authorization: `Bearer ${registered.body.accessToken}` } };
    const other = await givenOrganisation(t);
    // Leave traces everywhere a person can: mail (sent and pending), a failed sign-in, a link token,
    // an organisation of their own (audited, idempotent), an accepted and a pending invitation.
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: person.email }).expect(202);
    await t.app.dispatchMail();
    await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'fel-lösenord-123' }).expect(401);
    await t.app.http
      .post('/api/v1/organisations')
      .set(person.auth)
      .set('Idempotency-Key', 'erase-org')
      .send({ name: 'Raderas Förening', orgNumber: uniqueOrgNumber(), legalForm: 'ideell_forening', sector: 'social_economy', municipalityCode: '0380' })
      .expect(201);
    await t.app.http.post(`/api/v1/organisations/${other.id}/invitations`).set(other.admin.auth).send({ email: person.email, role: 'employee' }).expect(201);
    await t.app.dispatchMail();
    const [invitationMail] = (await t.smtp.waitForMailTo(person.email, 2)).filter((m) => /\/invite\//.test(m.text ?? ''));
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(invitationMail.text!)![1];
    await t.app.http.post(`/api/v1/invitations/${token}/accept`).set(person.auth).send({}).expect(200);
    const third = await givenOrganisation(t);
    await t.app.http.post(`/api/v1/organisations/${third.id}/invitations`).set(third.admin.auth).send({ email: person.email, role: 'employee' }).expect(201);
    await t.app.http.post('/api/v1/auth/password-reset').send({ email: person.email }).expect(202);

    await t.app.http.delete('/api/v1/me').set(person.auth).expect(200);

    const columns = await t.db.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public' AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR c.udt_name IN ('_varchar', '_text'))
        ORDER BY 1, 2`,
    );
    expect(columns.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      const [hit] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE strpos(lower("${column_name}"::text), lower($1)) > 0 OR strpos(lower("${column_name}"::text), lower($2)) > 0`,
        [person.email, name],
      );
      if (hit.n > 0) found.push(`${table_name}.${column_name}: ${hit.n}`);
    }
    expect(found).toEqual([]);
    // The account's tokens are dead, and the address is free again.
    expect((await t.app.http.get('/api/v1/me').set(person.auth).expect(401)).body.code).toBe('AUTH_TOKEN_INVALID');
    await t.app.http.post('/api/v1/auth/register').send({ email: person.email, password: 'ett-nytt-konto-1', name: 'Ny' }).expect(201);
  });
});
