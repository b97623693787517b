/**
 * ESF participants benchmark, through the real app: recording attendance for a session of BENCH_PEOPLE
 * (default 500) people on a session that delivers an ESF programme (the register, hours and time
 * reports follow in the same transaction) beside the same on a session that delivers none; then the
 * coordinator's reads on that programme: the register (a page of 100), indicators, co-financing and
 * the monthly file (decrypting every identity number).
 *
 *   npm run build && BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node bench/participants/run.mjs
 *
 * BENCH_DATABASE_URL unset: an embedded PostgreSQL. BENCH_PEOPLE, BENCH_REPEAT (attendance rounds,
 * default 5) and BENCH_REQUESTS (reads, default 20) change the sizes.
 */
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { openBenchDatabase, percentile, say, startApp } from '../support.mjs';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 500);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const ms = (v) => Math.round(v * 10) / 10;
const stats = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: ms(percentile(sorted, 50)), p95: ms(percentile(sorted, 95)), n: times.length };
};

async function api(base, method, route, token, body) {
  const started = performance.now();
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${text}`);
  return { ms: performance.now() - started, text };
}

/** A valid personnummer for person i (born 1970–1999). */
function personnummer(i) {
  const nine = `${70 + (i % 30)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    let p = Number(nine[k]) * (k % 2 === 0 ? 2 : 1);
    if (p > 9) p -= 9;
    sum += p;
  }
  return `19${nine}${(10 - (sum % 10)) % 10}`;
}

const db = await openBenchDatabase('kl_bench_participants');
const app = await startApp(db.dbUrl, { DISPATCH_INTERVAL_MS: '600000', PARTICIPANT_ID_KEY: Buffer.alloc(32, 7).toString('base64') }, { startTimeoutMs: 120_000 }).catch(async (error) => {
  await db.close();
  throw error;
});
const client = new pg.Client({ connectionString: db.dbUrl });
try {
  await client.connect();
  say(`setting up an ESF programme with ${PEOPLE} booked people`);
  const user = async (name, role = null) =>
    (await client.query(`INSERT INTO users (email, name, locale, global_role) VALUES ($1, $2, 'sv', $3) RETURNING id`, [`${name}.${process.pid}@example.se`, name, role])).rows[0].id;
  const coordinatorId = await user('samordnare', 'coordinator');
  const staffId = await user('kursledare');
  const token = (id) => jwt.sign({ sub: id }, SECRET, { algorithm: 'HS256', expiresIn: '2h' });
  const coordinator = token(coordinatorId);
  const staff = token(staffId);
  const providerId = (await client.query(`INSERT INTO providers (name, kind, municipality_code) VALUES ('Studieförbundet Bench', 'study_association', '0380') RETURNING id`)).rows[0].id;
  await client.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [providerId, staffId]);
  const organisationId = (await client.query(`INSERT INTO organisations (name, org_number, legal_form, sector, municipality_code) VALUES ('Bench förening', '802400-0001', 'ideell_forening', 'social_economy', '0380') RETURNING id`)).rows[0].id;
  const programme = JSON.parse(
    (await api(app.base, 'POST', '/programmes', coordinator, { title: 'ESF bench', startsOn: '2020-01-01', endsOn: '2030-12-31', fundingSource: 'esf_plus', budgetSek: 1e6, unitCostPerHourSek: 300, esfReporting: true, finalPaymentYear: 2031 })).text,
  );
  const intervention = JSON.parse(
    (await api(app.base, 'POST', `/programmes/${programme.id}/interventions`, coordinator, { themeCode: 'employer_role', targetGroups: ['social_economy'], format: 'short_course', counties: ['03'], plannedParticipants: PEOPLE, hoursPerParticipant: 3, costSek: 1000, startsOn: '2020-01-01', endsOn: '2030-12-31' })).text,
  );
  await api(app.base, 'POST', `/interventions/${intervention.id}/approve`, coordinator);
  const session = async (linked) => {
    const offering = (
      await client.query(
        `INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status, published_at)
         VALUES ($1, 'Bench', 'Bench.', '{employer_role}', 'short_course', '{social_economy}', 'published', now()) RETURNING id`,
        [providerId],
      )
    ).rows[0].id;
    if (linked) await client.query('INSERT INTO intervention_offerings (offering_id, intervention_id) VALUES ($1, $2)', [offering, intervention.id]);
    return (
      await client.query(
        `INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, capacity, seats_taken, booking_closes_at)
         VALUES ($1, now() - interval '4 hours', now() - interval '1 hour', '0380', $2, $2, now() - interval '4 hours') RETURNING id`,
        [offering, PEOPLE],
      )
    ).rows[0].id;
  };
  const esfSession = await session(true);
  const plainSession = await session(false);
  const people = (
    await client.query(
      `INSERT INTO users (email, name, locale) SELECT 'deltagare.' || g || '.${process.pid}@example.se', 'Deltagare ' || g, 'sv' FROM generate_series(1, $1) g RETURNING id`,
      [PEOPLE],
    )
  ).rows.map((r) => r.id);
  await client.query(`INSERT INTO organisation_members (organisation_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'employee'`, [organisationId, people]);
  await client.query(
    `INSERT INTO person_profiles (user_id, gender, birth_year, education_level)
     SELECT id, (ARRAY['woman','man','non_binary_other',NULL])[1 + (n % 4)], 1960 + (n % 45), (ARRAY['isced_0_2','isced_3_4','isced_5_8'])[1 + (n % 3)]
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n)`,
    [people],
  );
  const bookings = {};
  for (const [name, sessionId] of [['esf', esfSession], ['plain', plainSession]]) {
    bookings[name] = (
      await client.query(
        `INSERT INTO bookings (session_id, user_id, organisation_id, status, confirmed_at) SELECT $1, unnest($2::uuid[]), $3, 'confirmed', now() RETURNING id`,
        [sessionId, people, organisationId],
      )
    ).rows.map((r) => r.id);
  }
  // identity numbers through the API for the first 100 (as people would give them), then the same cipher for the rest is not needed: the file decrypts what exists
  for (let i = 0; i < Math.min(100, PEOPLE); i++) {
    await api(app.base, 'PUT', '/me/participant-identity', token(people[i]), { personalIdentityNumber: personnummer(i) });
  }

  say(`recording attendance for ${PEOPLE} people, ${REPEAT} rounds each (the ESF session alternating with the plain one)`);
  const times = { esf: [], plain: [] };
  for (let round = 0; round < REPEAT + 1; round++) {
    for (const [name, sessionId] of [['esf', esfSession], ['plain', plainSession]]) {
      // alternate whole-session and 2-hour attendance so that every round changes the hours
      const records = bookings[name].map((bookingId) => ({ bookingId, attended: true, ...(round % 2 ? { hours: 2 } : {}) }));
      const { ms: took } = await api(app.base, 'POST', `/sessions/${sessionId}/attendance`, staff, { records });
      if (round > 0) times[name].push(took); // the first round is a warm-up (and creates the participants)
    }
  }
  const reads = {};
  const month = new Date().toISOString().slice(0, 7);
  for (const [name, route] of [
    ['register (page of 100)', `/programmes/${programme.id}/participants?limit=100`],
    ['indicators', `/programmes/${programme.id}/indicators`],
    ['co-financing', `/programmes/${programme.id}/cofinancing`],
    ['monthly file', `/programmes/${programme.id}/participants/monthly-file?month=${month}`],
    ['monthly files (status)', `/programmes/${programme.id}/participants/monthly-files`],
  ]) {
    const t = [];
    for (let i = 0; i < REQUESTS + 2; i++) {
      const { ms: took } = await api(app.base, 'GET', route, coordinator);
      if (i >= 2) t.push(took);
    }
    reads[name] = stats(t);
  }
  const result = { people: PEOPLE, attendance: { esf: stats(times.esf), plain: stats(times.plain), ratio: ms(stats(times.esf).p50 / stats(times.plain).p50) }, reads };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await client.end();
  await app.stop();
  await db.close();
}
