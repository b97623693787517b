import ExcelJS from 'exceljs';
import { fastUser, givenMember, givenOrganisation, givenProvider, type FastUser } from '../support/bookings-factories.js';
import { useTestContext } from '../support/context.js';
import { countRows } from '../support/factories.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = ['course_code', 'title', 'description', 'themes', 'format', 'target_groups', 'hours', 'price_sek', 'starts_at', 'ends_at', 'municipality_code', 'venue', 'capacity'];

/** Rows of `courses` courses with `sessions` sessions each, a week apart, from next year. */
function catalogue(courses: number, sessions: number, capacity = 20, prefix = 'K'): string[][] {
  const year = new Date().getUTCFullYear() + 1;
  const rows: string[][] = [];
  for (let c = 0; c < courses; c++) {
    for (let s = 0; s < sessions; s++) {
      const day = new Date(Date.UTC(year, 2, 1 + c % 20 + 7 * s));
      const date = day.toISOString().slice(0, 10);
      rows.push([`${prefix}-${c}`, `Kurs ${c}: föreningens ekonomi`, 'Budget, bokslut och revision.', 'public_procurement', 'short_course', 'social_economy|public_sector', '6', '0', `${date} 09:00`, `${date} 15:00`, '0380', 'Kungsgatan 10, Uppsala', String(capacity)]);
    }
  }
  return rows;
}

async function xlsx(rows: (string | number | Date)[][], header = HEADER): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Kurser');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csv = (rows: string[][], header = HEADER, delimiter = ',') =>
  [header, ...rows].map((row) => row.map((cell) => (/[",;\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(delimiter)).join('\r\n');

describe('catalogue import (CSV, xlsx)', () => {
  const t = useTestContext();
  let staff: FastUser;
  let otherStaff: FastUser;
  let employee: FastUser;
  let coordinator: FastUser;
  let providerId: string;
  let otherProviderId: string;

  beforeAll(async () => {
    staff = await fastUser(t.db, { prefix: 'staff' });
    otherStaff = await fastUser(t.db, { prefix: 'other' });
    employee = await fastUser(t.db);
    coordinator = await fastUser(t.db, { coordinator: true });
    providerId = await givenProvider(t.db, [staff.id]);
    otherProviderId = await givenProvider(t.db, [otherStaff.id]);
    await givenMember(t.db, await givenOrganisation(t.db), employee.id);
  });

  const upload = (who: FastUser | { Authorization: string } | null, body: string | Buffer, type: string, dryRun: boolean, provider = providerId) => {
    const req = t.app.http.post(`/api/v1/providers/${provider}/offerings/import?dryRun=${dryRun}`);
    const auth = who === null ? {} : 'auth' in who ? who.auth : who;
    return req.set(auth).set('Content-Type', type).send(body);
  };
  const written = async () => ({
    offerings: await countRows(t.db, 'offerings', 'provider_id = $1', [providerId]),
    sessions: await countRows(t.db, 'sessions s JOIN offerings o ON o.id = s.offering_id', 'o.provider_id = $1', [providerId]),
  });

  it('the template (xlsx and CSV) documents every column and imports as it is', async () => {
    const template = await t.app.http.get('/api/v1/offerings/import-template?format=xlsx').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(template.headers['content-type']).toBe(XLSX);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.body as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Kurstillfällen', 'Kolumner']);
    expect(book.worksheets[1].rowCount).toBe(25);
    const dry = await upload(staff, template.body as Buffer, XLSX, true).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, written: false, summary: { created: 1, updated: 0, rejected: 0 } });
    const csvTemplate = await t.app.http.get('/api/v1/offerings/import-template?format=csv').expect(200);
    expect(csvTemplate.headers['content-type']).toBe('text/csv; charset=utf-8');
    const real = await upload(staff, csvTemplate.text, 'text/csv', false).expect(200);
    expect(real.body).toMatchObject({ written: true, summary: { created: 1, updated: 0, rejected: 0 }, rows: [{ row: 2, courseCode: 'SV-UPH-01', result: 'created', offering: 'created' }] });
    const [offering] = await t.db.query('SELECT status, course_code, title, hours FROM offerings WHERE id = $1', [real.body.rows[0].offeringId]);
    expect(offering).toEqual({ status: 'draft', course_code: 'SV-UPH-01', title: 'Offentlig upphandling för sociala företag', hours: '6.0' });
    await t.db.query('DELETE FROM sessions USING offerings o WHERE o.id = sessions.offering_id AND o.provider_id = $1', [providerId]);
    await t.db.query('DELETE FROM offerings WHERE provider_id = $1', [providerId]);
  });

  it('a 500-row xlsx: the dry run writes nothing, the real run writes all rows in one transaction, a second run updates', async () => {
    const file = await xlsx(catalogue(100, 5));
    const dry = await upload(staff, file, XLSX, true).expect(200);
    expect(dry.body.summary).toEqual({ created: 500, updated: 0, rejected: 0 });
    expect(await written()).toEqual({ offerings: 0, sessions: 0 });
    const real = await upload(staff, file, XLSX, false).expect(200);
    expect(real.body.summary).toEqual({ created: 500, updated: 0, rejected: 0 });
    expect(await written()).toEqual({ offerings: 100, sessions: 500 });
    // One transaction: every row carries the same transaction id.
    const [xids] = await t.db.query<{ offerings: number; sessions: number; same: boolean }>(
      `SELECT count(DISTINCT o.xmin::text)::int AS offerings, count(DISTINCT s.xmin::text)::int AS sessions, min(o.xmin::text) = min(s.xmin::text) AS same
         FROM offerings o JOIN sessions s ON s.offering_id = o.id WHERE o.provider_id = $1`,
      [providerId],
    );
    expect(xids).toEqual({ offerings: 1, sessions: 1, same: true });
    // Swedish wall-clock time: 09:00 in Stockholm.
    const [first] = await t.db.query<{ local: string }>(
      `SELECT to_char(s.starts_at AT TIME ZONE 'Europe/Stockholm', 'HH24:MI') AS local FROM sessions s JOIN offerings o ON o.id = s.offering_id WHERE o.provider_id = $1 LIMIT 1`,
      [providerId],
    );
    expect(first.local).toBe('09:00');
    const again = await upload(staff, await xlsx(catalogue(100, 5, 30)), XLSX, false).expect(200);
    expect(again.body.summary).toEqual({ created: 0, updated: 500, rejected: 0 });
    expect(await written()).toEqual({ offerings: 100, sessions: 500 });
    expect(await countRows(t.db, 'sessions s JOIN offerings o ON o.id = s.offering_id', 'o.provider_id = $1 AND s.capacity = 30', [providerId])).toBe(500);
  });

  it('one bad row: nothing is written and that row\'s reason is reported in Swedish', async () => {
    const before = await written();
    const rows = catalogue(100, 5, 20, 'B');
    rows[249][12] = '0'; // row 251 in the file
    const res = await upload(staff, await xlsx(rows), XLSX, false).expect(400);
    expect(res.body.code).toBe('CATALOGUE_IMPORT_REJECTED');
    expect(res.body.details.summary).toEqual({ created: 499, updated: 0, rejected: 1 });
    const rejected = res.body.details.rows.filter((r: { result: string }) => r.result === 'rejected');
    expect(rejected).toEqual([expect.objectContaining({ row: 251, courseCode: 'B-49', reasons: ['capacity ska vara ett heltal från 1 till 10000'] })]);
    expect(await written()).toEqual(before);
  });

  it('reports each reason: unknown codes, times, a course described two ways, a session twice; semicolon CSV in Swedish time', async () => {
    const [base] = catalogue(1, 1);
    const rows = [
      base,
      [...base.slice(0, 3), 'no_such_theme', ...base.slice(4)],
      ['K-2', ...base.slice(1, 8), base[9], base[8], ...base.slice(10)],
      ['K-3', ...base.slice(1)],
      ['K-3', 'Ett annat namn', ...base.slice(2)],
      base,
      ['', ...base.slice(1, 8), 'i morgon', ...base.slice(9)],
    ];
    rows[1][0] = 'K-1';
    rows[5] = [...base];
    const before = await written();
    const res = await upload(staff, csv(rows, HEADER, ';'), 'text/csv', true).expect(200);
    const reasons = Object.fromEntries(res.body.rows.map((r: { row: number; reasons: string[] }) => [r.row, r.reasons]));
    expect(reasons[2]).toEqual([]);
    expect(reasons[3]).toEqual(['themes: okända koder no_such_theme']);
    expect(reasons[4]).toEqual(['ends_at måste vara efter starts_at']);
    expect(reasons[5]).toEqual([]);
    expect(reasons[6]).toEqual(['Kursuppgifterna skiljer sig från rad 5, som har samma course_code', 'Samma kurs och starttid som rad 5']);
    expect(reasons[7]).toEqual(['Samma kurs och starttid som rad 2']);
    expect(reasons[8]).toEqual(['course_code saknas', 'starts_at ska vara ÅÅÅÅ-MM-DD TT:MM (svensk tid) eller ISO 8601 med tidszon']);
    expect(res.body.summary).toEqual({ created: 1, updated: 1, rejected: 5 }); // K-0 was imported above
    expect(await written()).toEqual(before);
  });

  it('refuses files it cannot read, with nothing written', async () => {
    const before = await written();
    const columns = await upload(staff, csv([['x']], ['course_code', 'titel']), 'text/csv', true).expect(400);
    expect(columns.body.code).toBe('CATALOGUE_IMPORT_COLUMNS');
    expect(columns.body.message).toBe('Okända kolumner: titel. Använd mallens kolumner.');
    expect((await upload(staff, Buffer.from('not a workbook'), XLSX, false).expect(400)).body.code).toBe('CATALOGUE_IMPORT_UNREADABLE');
    expect((await upload(staff, csv([]), 'text/csv', false).expect(400)).body.code).toBe('CATALOGUE_IMPORT_UNREADABLE');
    expect((await t.app.http.post(`/api/v1/providers/${providerId}/offerings/import`).set(staff.auth).send({ rows: [] }).expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await upload(staff, csv(catalogue(1, 1)), 'text/csv', 'maybe' as unknown as boolean).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect(await written()).toEqual(before);
  });

  it('authorisation: the provider\'s staff, its API keys and coordinators; others refused with nothing written', async () => {
    const before = await written();
    const file = csv(catalogue(1, 1).map((r) => ['AUTH-1', ...r.slice(1)]));
    expect((await upload(otherStaff, file, 'text/csv', false).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await upload(employee, file, 'text/csv', false).expect(403)).body.code).toBe('PROVIDER_ACCESS_DENIED');
    expect((await upload(null, file, 'text/csv', false).expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect((await upload(coordinator, file, 'text/csv', false, '00000000-0000-4000-8000-000000000000').expect(404)).body.code).toBe('PROVIDER_NOT_FOUND');
    const otherKey = (await t.app.http.post(`/api/v1/providers/${otherProviderId}/api-keys`).set(otherStaff.auth).send({ name: 'x' }).expect(201)).body.key;
    await upload({ Authorization: `Bearer ${otherKey}` }, file, 'text/csv', false).expect(403);
    expect(await written()).toEqual(before);
    const key = (await t.app.http.post(`/api/v1/providers/${providerId}/api-keys`).set(staff.auth).send({ name: 'Kurssystemet' }).expect(201)).body.key;
    const res = await upload({ Authorization: `Bearer ${key}` }, file, 'text/csv', false).expect(200);
    expect(res.body.summary.created).toBe(1);
    await upload(coordinator, file, 'text/csv', false).expect(200);
    expect(await written()).toEqual({ offerings: before.offerings + 1, sessions: before.sessions + 1 });
  });
});
