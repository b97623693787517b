// The booking statement of two builds side by side, database time only: the same batch of N
// bookings (one per session, sessions that never fill, the confirmation email rendered as the app
// renders it) captured from each build's BookingBatches, then run alternately R times each as a
// prepared statement in BEGIN … ROLLBACK on one fresh database; prints the medians and the plans'
// planning and execution times.
//   npm run build && BENCH_BEFORE_ROOT=/tmp/before node bench/booking/statement-ab.mjs
// BENCH_BEFORE_ROOT: a built checkout of the commit before (`git worktree add`, `npm ci`, `npm run build`).
// Env: BENCH_ADMIN_URL (postgresql://postgres@127.0.0.1:5432/postgres), N (50), R (150), BOTH=1 for both whole plans.
import 'reflect-metadata';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
const NEW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
if (!process.env.BENCH_BEFORE_ROOT) throw new Error('set BENCH_BEFORE_ROOT to a built checkout to compare with');
const OLD = path.join(path.resolve(process.env.BENCH_BEFORE_ROOT), 'dist');
const ADMIN = process.env.BENCH_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const name = `kl_book_ab_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN }); await admin.connect(); await admin.query(`CREATE DATABASE "${name}"`);
const u = new URL(ADMIN);
u.pathname = `/${name}`;
const url = u.toString();
const { DataSource } = await import('typeorm');
const { dataSourceOptions, runMigrations } = await import(`${NEW}/database/data-source.js`);
const ds = await new DataSource(dataSourceOptions(url, { extra: { max: 2 } })).initialize();
await runMigrations(ds);
const N = Number(process.env.N ?? 50);
const [prov] = await ds.query(`INSERT INTO providers (name, kind) VALUES ('AB', 'other') RETURNING id`);
const [off] = await ds.query(`INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status, published_at) VALUES ($1, 'Offentlig upphandling', 'x', '{public_procurement}', 'short_course', '{social_economy}', 'published', now()) RETURNING id`, [prov.id]);
const sessions = (await ds.query(`INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, venue, capacity, booking_closes_at) SELECT $1, now() + interval '30 days', now() + interval '30 days 3 hours', '0380', 'Storgatan 1', 1000, now() + interval '29 days' FROM generate_series(1, $2) RETURNING id`, [off.id, N])).map((r) => r.id);
const users = (await ds.query(`INSERT INTO users (email, name) SELECT 'ab' || g || '@x.se', 'AB ' || g FROM generate_series(1, $1) g RETURNING id, email, name, locale`, [N]));
await ds.query('VACUUM ANALYZE');
async function capture(dist) {
  const { loadConfig } = await import(`${dist}/config/app-config.js`);
  const { Clock } = await import(`${dist}/common/clock.js`);
  const { MailService } = await import(`${dist}/mail/mail.service.js`);
  const { BookingNotifications } = await import(`${dist}/bookings/booking-notifications.js`);
  const { BookingBatches, POSITION_MARKER } = await import(`${dist}/bookings/booking-batches.js`);
  const { findSession } = await import(`${dist}/bookings/booking-sessions.repository.js`);
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: path.join(process.env.TMPDIR ?? '/tmp', 'kl-statement-ab'), PUBLIC_BASE_URL: 'http://x.test' });
  const clock = new Clock();
  let captured;
  const fake = { driver: { master: { query: async (q) => { captured = q; return { rows: [] }; } } } };
  const mail = new MailService(fake, config, clock);
  const notes = new BookingNotifications(mail, clock, config);
  const batches = POSITION_MARKER ? new BookingBatches(fake, mail, clock) : new BookingBatches(fake, mail);
  const batch = [];
  for (let i = 0; i < N; i++) {
    const session = await findSession(ds.manager, sessions[i]);
    const booking = { id: randomUUID(), sessionId: sessions[i], userId: users[i].id, bookedBy: users[i].id, organisationId: null, requests: [], note: null, at: new Date() };
    const confirmed = notes.mailFor(booking.id, users[i], session, { kind: 'confirmed' });
    batch.push(POSITION_MARKER ? { booking, mails: { confirmed, waitlisted: null } } : { booking, mail: confirmed });
  }
  await (POSITION_MARKER ? batches.placeAll(batch) : batches.confirmAll(batch));
  return captured;
}
const A = await capture(OLD), B = await capture(NEW);
const client = new pg.Client({ connectionString: url }); await client.connect();
const times = { old: [], new: [] };
for (let r = 0; r < Number(process.env.R ?? 60); r++) {
  for (const [k, q] of [['old', A], ['new', B]]) {
    await client.query('BEGIN');
    const t = performance.now();
    await client.query({ name: k, text: q.text, values: q.values });
    times[k].push(performance.now() - t);
    await client.query('ROLLBACK');
  }
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)].toFixed(2); };
console.log(`N=${N}: old median ${med(times.old)} ms, new median ${med(times.new)} ms (per statement, ${times.old.length} each, alternating)`);
for (const [k, q] of [['old', A], ['new', B]]) {
  await client.query('BEGIN');
  const plan = await client.query({ text: 'EXPLAIN (ANALYZE, BUFFERS off, TIMING on, SUMMARY on) ' + q.text, values: q.values });
  await client.query('ROLLBACK');
    const lines = plan.rows.map((r) => r['QUERY PLAN']);
  console.log(`${k}: ${process.env.BOTH ? lines.join('\n') : lines.filter((l) => /^(Planning|Execution) Time/.test(l)).join(', ')}`);
}
await client.end(); await ds.destroy();
await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`); await admin.end();
