import { countRows, givenUser } from '../support/factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';
import { useTestContext } from '../support/context.js';

describe('members: roles, removal, the last admin, audit', () => {
  const t = useTestContext();

  it('lists members, changes a role and a job title, and records it in the audit log', async () => {
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id);
    const list = await t.app.http.get(`/api/v1/organisations/${org.id}/members`).set(org.admin.auth).expect(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: org.admin.id, role: 'org_admin' }),
        expect.objectContaining({ userId: employee.id, role: 'employee', email: employee.email }),
      ]),
    );
    expect(list.body.items[0]).not.toHaveProperty('passwordHash');

    const changed = await t.app.http
      .patch(`/api/v1/organisations/${org.id}/members/${employee.id}`)
      .set(org.admin.auth)
      .send({ role: 'org_admin', jobTitle: 'Verksamhetsledare' })
      .expect(200);
    expect(changed.body).toMatchObject({ userId: employee.id, role: 'org_admin', jobTitle: 'Verksamhetsledare' });

    const coordinator = await givenUser(t, { coordinator: true });
    const audit = await t.app.http.get(`/api/v1/audit-log?organisationId=${org.id}&action=member.role_changed`).set(coordinator.auth).expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ actorUserId: org.admin.id, subjectUserId: employee.id, details: { from: 'employee', to: 'org_admin' } }),
    ]);
  });

  it('keeps at least one admin: the last one can be neither demoted nor removed, nor leave', async () => {
    const org = await givenOrganisation(t);
    const demote = await t.app.http
      .patch(`/api/v1/organisations/${org.id}/members/${org.admin.id}`)
      .set(org.admin.auth)
      .send({ role: 'employee' })
      .expect(409);
    expect(demote.body.code).toBe('ORGANISATION_LAST_ADMIN');
    const leave = await t.app.http.delete(`/api/v1/organisations/${org.id}/members/${org.admin.id}`).set(org.admin.auth).expect(409);
    expect(leave.body.code).toBe('ORGANISATION_LAST_ADMIN');
    expect(await countRows(t.db, 'organisation_members', `organisation_id = $1 AND role = 'org_admin'`, [org.id])).toBe(1);
  });

  it('two admins demoting each other at the same moment leave one admin', async () => {
    const org = await givenOrganisation(t);
    const second = await givenMember(t, org.id, 'org_admin');
    const results = await Promise.all([
      t.app.http.patch(`/api/v1/organisations/${org.id}/members/${second.id}`).set(org.admin.auth).send({ role: 'employee' }),
      t.app.http.patch(`/api/v1/organisations/${org.id}/members/${org.admin.id}`).set(second.auth).send({ role: 'employee' }),
    ]);
    // One wins. The other is refused either as the last admin (both passed the admin check before
    // the first demotion committed) or as no longer an admin (its check ran after): both are right.
    const [won, lost] = [...results].sort((a, b) => a.status - b.status);
    expect(won.status).toBe(200);
    expect([403, 409]).toContain(lost.status);
    expect(lost.body.code).toBe(lost.status === 409 ? 'ORGANISATION_LAST_ADMIN' : 'ORGANISATION_ACCESS_DENIED');
    expect(await countRows(t.db, 'organisation_members', `organisation_id = $1 AND role = 'org_admin'`, [org.id])).toBe(1);
  });

  it('an admin who has just been demoted can no longer change roles (403, nothing changes)', async () => {
    const org = await givenOrganisation(t);
    const second = await givenMember(t, org.id, 'org_admin');
    await t.app.http.patch(`/api/v1/organisations/${org.id}/members/${second.id}`).set(org.admin.auth).send({ role: 'employee' }).expect(200);
    const late = await t.app.http.patch(`/api/v1/organisations/${org.id}/members/${org.admin.id}`).set(second.auth).send({ role: 'employee' }).expect(403);
    expect(late.body.code).toBe('ORGANISATION_ACCESS_DENIED');
    expect(await countRows(t.db, 'organisation_members', `organisation_id = $1 AND role = 'org_admin'`, [org.id])).toBe(1);
  });

  it('removes a member, lets an employee leave, and audits both', async () => {
    const org = await givenOrganisation(t);
    const a = await givenMember(t, org.id);
    const b = await givenMember(t, org.id);
    await t.app.http.delete(`/api/v1/organisations/${org.id}/members/${a.id}`).set(org.admin.auth).expect(204);
    await t.app.http.delete(`/api/v1/organisations/${org.id}/members/${b.id}`).set(b.auth).expect(204);
    await t.app.http.get(`/api/v1/organisations/${org.id}`).set(a.auth).expect(403);
    const removed = await t.db.query<{ actor_user_id: string; subject_user_id: string }>(
      `SELECT actor_user_id, subject_user_id FROM audit_log WHERE action = 'member.removed' AND organisation_id = $1 ORDER BY id`,
      [org.id],
    );
    expect(removed).toEqual([
      { actor_user_id: org.admin.id, subject_user_id: a.id },
      { actor_user_id: b.id, subject_user_id: b.id },
    ]);
  });

  it('answers bad member input with 400/404 and changes nothing', async () => {
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id);
    const role = await t.app.http.patch(`/api/v1/organisations/${org.id}/members/${employee.id}`).set(org.admin.auth).send({ role: 'owner' }).expect(400);
    expect(role.body.details[0].field).toBe('role');
    const title = await t.app.http
      .patch(`/api/v1/organisations/${org.id}/members/${employee.id}`)
      .set(org.admin.auth)
      .send({ jobTitle: 'x'.repeat(201) })
      .expect(400);
    expect(title.body.details[0].field).toBe('jobTitle');
    const malformed = await t.app.http.patch(`/api/v1/organisations/${org.id}/members/abc`).set(org.admin.auth).send({ role: 'employee' }).expect(400);
    expect(malformed.body.details[0].field).toBe('userId');
    const unknown = await t.app.http
      .delete(`/api/v1/organisations/${org.id}/members/00000000-0000-4000-8000-000000000000`)
      .set(org.admin.auth)
      .expect(404);
    expect(unknown.body.code).toBe('MEMBER_NOT_FOUND');
    const unknownOrg = await t.app.http.get(`/api/v1/organisations/00000000-0000-4000-8000-000000000000/members`).set(org.admin.auth).expect(404);
    expect(unknownOrg.body.code).toBe('ORGANISATION_NOT_FOUND');
    expect(await countRows(t.db, 'organisation_members', `organisation_id = $1 AND role = 'employee'`, [org.id])).toBe(1);
  });

  it('pages members and invitations as {items, total} with limit and offset; a bad limit is 400', async () => {
    const org = await givenOrganisation(t);
    for (let i = 0; i < 4; i++) await givenMember(t, org.id);
    const all = await t.app.http.get(`/api/v1/organisations/${org.id}/members?limit=100`).set(org.admin.auth).expect(200);
    expect(all.body.total).toBe(5);
    const pages = [];
    for (const offset of [0, 2, 4, 6]) {
      const page = await t.app.http.get(`/api/v1/organisations/${org.id}/members?limit=2&offset=${offset}`).set(org.admin.auth).expect(200);
      expect(page.body.total).toBe(5);
      pages.push(...page.body.items);
    }
    expect(pages).toEqual(all.body.items);
    for (const email of ['a@example.se', 'b@example.se', 'c@example.se']) {
      await t.app.http.post(`/api/v1/organisations/${org.id}/invitations`).set(org.admin.auth).send({ email, role: 'employee' }).expect(201);
    }
    const invitations = await t.app.http.get(`/api/v1/organisations/${org.id}/invitations?limit=2&offset=1`).set(org.admin.auth).expect(200);
    expect({ total: invitations.body.total, count: invitations.body.items.length }).toEqual({ total: 3, count: 2 });
    const bad = await t.app.http.get(`/api/v1/organisations/${org.id}/members?limit=0`).set(org.admin.auth).expect(400);
    expect(bad.body.details[0].field).toBe('limit');
  });
});
