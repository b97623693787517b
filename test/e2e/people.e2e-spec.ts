import { countRows, givenUser } from '../support/factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';
import { useTestContext } from '../support/context.js';

describe('people: profile, sensitive data, export, erasure', () => {
  const t = useTestContext();
  const profile = {
    gender: 'woman',
    birthYear: 1979,
    educationLevel: 'isced_3_4',
    employmentType: 'subsidised',
    accessibilityNeeds: ['induction_loop', 'easy_to_read'],
    disability: 'yes',
  };


  it('stores the profile with the disability answer in its own table, shown only to the person', async () => {
    const org = await givenOrganisation(t);
    const person = await givenMember(t, org.id);
    const res = await t.app.http.put('/api/v1/me/profile').set(person.auth).send(profile).expect(200);
    expect(res.body).toEqual(profile);
    expect(await t.db.query(`SELECT disability FROM person_sensitive_data WHERE user_id = $1`, [person.id])).toEqual([{ disability: 'yes' }]);
    const columns = await t.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'person_profiles'`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain('disability');
    const me = await t.app.http.get('/api/v1/me').set(person.auth).expect(200);
    expect(me.body.profile).toEqual(profile);

    // Nobody else sees it through any route: not the org admin, not a coordinator.
    const coordinator = await givenUser(t, { coordinator: true });
    for (const auth of [org.admin.auth, coordinator.auth]) {
      for (const path of [`/api/v1/organisations/${org.id}/members`, `/api/v1/organisations/${org.id}`, '/api/v1/audit-log']) {
        const other = await t.app.http.get(path).set(auth);
        const text = JSON.stringify(other.body);
        expect(text).not.toContain('disability');
        expect(text).not.toContain('argon2');
        expect(text).not.toMatch(/token_?hash|passwordHash|password_hash/i);
      }
    }
  });

  it('replaces the profile on PUT (a left-out field is cleared) and allows "prefer not to say"', async () => {
    const person = await givenUser(t);
    await t.app.http.put('/api/v1/me/profile').set(person.auth).send(profile).expect(200);
    const res = await t.app.http.put('/api/v1/me/profile').set(person.auth).send({ gender: 'prefer_not_to_say', disability: 'prefer_not_to_say' }).expect(200);
    expect(res.body).toEqual({
      gender: 'prefer_not_to_say',
      birthYear: null,
      educationLevel: null,
      employmentType: null,
      accessibilityNeeds: [],
      disability: 'prefer_not_to_say',
    });
  });

  it.each([
    [{ gender: 'female' }, 'gender'],
    [{ birthYear: 1850 }, 'birthYear'],
    [{ birthYear: '1980' }, 'birthYear'],
    [{ educationLevel: 'phd' }, 'educationLevel'],
    [{ employmentType: 'boss' }, 'employmentType'],
    [{ accessibilityNeeds: ['teleportation'] }, 'accessibilityNeeds'],
    [{ accessibilityNeeds: 'induction_loop' }, 'accessibilityNeeds'],
    [{ disability: 'maybe' }, 'disability'],
  ])('rejects %j with 400 naming %s, writing nothing', async (body, field) => {
    const person = await givenUser(t);
    const res = await t.app.http.put('/api/v1/me/profile').set(person.auth).send(body).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await countRows(t.db, 'person_profiles', 'user_id = $1', [person.id])).toBe(0);
    expect(await countRows(t.db, 'person_sensitive_data', 'user_id = $1', [person.id])).toBe(0);
  });

  it('exports everything the person entered', async () => {
    const org = await givenOrganisation(t, { name: 'Exportföreningen' });
    const person = await givenMember(t, org.id);
    await t.app.http.put('/api/v1/me/profile').set(person.auth).send(profile).expect(200);
    const res = await t.app.http.get('/api/v1/me/export').set(person.auth).expect(200);
    expect(res.body.account).toMatchObject({ id: person.id, email: person.email, name: person.name });
    expect(res.body.profile).toEqual(profile);
    expect(res.body.memberships).toEqual([expect.objectContaining({ id: org.id, name: 'Exportföreningen', role: 'employee' })]);
    expect(res.body.auditLog).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'person.exported' })]));
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
  });

  it('erases: no sign-in, the email free to register again, no personal field left in the rows', async () => {
    const org = await givenOrganisation(t);
    const person = await givenMember(t, org.id);
    await t.app.http.put('/api/v1/me/profile').set(person.auth).send(profile).expect(200);
    await t.app.http.post('/api/v1/auth/magic-link').send({ email: person.email }).expect(202);
    expect(await countRows(t.db, 'mail_outbox', 'to_address = $1', [person.email])).toBe(1);

    const erased = await t.app.http.delete('/api/v1/me').set(person.auth).expect(200);
    // Nothing a law requires is held on this person: nothing is retained.
    expect(erased.body).toEqual({ erased: true, retained: [] });

    await t.app.http.get('/api/v1/me').set(person.auth).expect(401);
    const login = await t.app.http.post('/api/v1/auth/login').send({ email: person.email, password: person.password }).expect(401);
    expect(login.body.code).toBe('AUTH_INVALID_CREDENTIALS');

    const [row] = await t.db.query<Record<string, unknown>>(`SELECT * FROM users WHERE id = $1`, [person.id]);
    expect(row).toMatchObject({ name: null, password_hash: null, global_role: null });
    expect(row.email).toBe(`erased-${person.id}@invalid.invalid`);
    expect(row.erased_at).not.toBeNull();
    for (const table of ['person_profiles', 'person_sensitive_data', 'organisation_members', 'magic_link_tokens']) {
      expect({ table, rows: await countRows(t.db, table, 'user_id = $1', [person.id]) }).toEqual({ table, rows: 0 });
    }
    // Unsent email to the address is dropped; sent email no longer names it.
    expect(await countRows(t.db, 'mail_outbox', 'to_address = $1', [person.email])).toBe(0);
    const dump = JSON.stringify(await t.db.query(`SELECT * FROM users WHERE id = $1`, [person.id]));
    expect(dump).not.toContain(person.email);
    expect(dump).not.toContain(person.name);

    // The audit log keeps ids only, and says it happened.
    expect(await countRows(t.db, 'audit_log', `action = 'person.erased' AND subject_user_id = $1`, [person.id])).toBe(1);

    // The address can register again, as a new person.
    const again = await t.app.http
      .post('/api/v1/auth/register')
      .send({ email: person.email, password: 'ett-nytt-lösenord', name: 'Ny igen' })
      .expect(201);
    expect(again.body.user.id).not.toBe(person.id);
  });

  it('voids invitations sent to an erased person and no longer names their address', async () => {
    const org = await givenOrganisation(t);
    const person = await givenUser(t);
    await t.app.http.post(`/api/v1/organisations/${org.id}/invitations`).set(org.admin.auth).send({ email: person.email, role: 'employee' }).expect(201);
    await t.app.http.delete('/api/v1/me').set(person.auth).expect(200);
    expect(await countRows(t.db, 'invitations', 'email = $1', [person.email])).toBe(0);
    expect(await countRows(t.db, 'invitations', `target_id = $1 AND voided_at IS NULL AND accepted_at IS NULL`, [org.id])).toBe(0);
  });
});
