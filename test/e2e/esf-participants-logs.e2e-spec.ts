import fs from 'node:fs';
import { useTestContext } from '../support/context.js';
import { book, givenEsfProgramme, givenEsfSession, givenParticipants, personnummer, setClock } from '../support/esf-factories.js';

/** What the app writes to standard output (its JSON log lines), captured for this file. */
const logged: string[] = [];
const writeSync = fs.writeSync;
(fs as { writeSync: unknown }).writeSync = function (fd: number, data: unknown, ...rest: unknown[]) {
  if (fd === 1) logged.push(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
  return (writeSync as (...args: unknown[]) => number).call(fs, fd, data, ...rest);
};

/**
 * Identity numbers never reach the logs (issue 20): with every log line written (LOG_LEVEL=trace),
 * people enter valid and invalid numbers, an org admin enters one, the monthly file is downloaded,
 * and a request fails inside the service; no line holds the number in any written form.
 */
describe('ESF participants: identity numbers stay out of the logs', () => {
  const t = useTestContext({ env: { LOG_LEVEL: 'trace' } });

  afterAll(() => {
    (fs as { writeSync: unknown }).writeSync = writeSync;
    t.app.clock.reset();
  });

  it('writes request and error lines, none with an identity number', async () => {
    const esf = await givenEsfProgramme(t);
    const [anna, bo] = await givenParticipants(t, esf, ['woman', 'man']);
    const session = await givenEsfSession(t, esf, new Date('2027-01-14T09:00:00Z'), 3);
    const ids = await book(t, session.id, [anna, bo]);
    const number = personnummer('19851010');
    const forms = [number, number.slice(2), `${number.slice(2, 8)}-${number.slice(8)}`, `${number.slice(0, 8)}-${number.slice(8)}`];
    const before = logged.length;
    for (const form of forms) await t.app.http.put('/api/v1/me/participant-identity').set(anna.auth).send({ personalIdentityNumber: form }).expect(204);
    await t.app.http.put('/api/v1/me/participant-identity').set(anna.auth).send({ personalIdentityNumber: `${number.slice(0, 11)}${(Number(number[11]) + 1) % 10}` }).expect(400);
    await t.app.http.put('/api/v1/me/participant-identity').set(anna.auth).send({ personalIdentityNumber: number, extra: number }).expect(400);
    await t.app.http.put(`/api/v1/organisations/${esf.organisation.id}/members/${bo.id}/participant-identity`).set(esf.organisation.admin.auth).send({ personalIdentityNumber: number }).expect(204);
    await t.app.http.put(`/api/v1/organisations/${esf.organisation.id}/members/${bo.id}/participant-identity?n=${number}`).set(anna.auth).send({ personalIdentityNumber: number }).expect(403);
    // a body that is not JSON, with the number in it
    await t.app.http.put('/api/v1/me/participant-identity').set(anna.auth).set('Content-Type', 'application/json').send(`{"personalIdentityNumber": "${number}"`).expect(400);
    setClock(t.app, new Date('2027-01-14T13:00:00Z'));
    await t.app.http.post(`/api/v1/sessions/${session.id}/attendance`).set(esf.staff.auth).send({ records: ids.map((bookingId) => ({ bookingId, attended: true })) }).expect(200);
    setClock(t.app, new Date('2027-02-02T10:00:00Z'));
    const file = await t.app.http.get(`/api/v1/programmes/${esf.programmeId}/participants/monthly-file?month=2027-01`).set(esf.coordinator.auth).expect(200);
    expect(file.text).toContain(number);
    const lines = logged.slice(before).join('');
    expect(lines).toContain('participant-identity');
    expect(lines).toContain('monthly-file');
    for (const form of forms) expect(lines).not.toContain(form);
  });
});
