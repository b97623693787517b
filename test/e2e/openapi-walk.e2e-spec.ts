import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { useTestContext } from '../support/context.js';
import { givenUser, type GivenUser } from '../support/factories.js';
import { givenCourse, givenProviderStaff, shippedQuestionnaireId } from '../support/follow-up-factories.js';
import { givenRound } from '../support/needs-factories.js';
import { givenMember, givenOrganisation } from '../support/organisation-factories.js';

/**
 * Walks every operation of the OpenAPI document the app serves (new routes are picked up by
 * themselves) with inputs made from the document's own schemas: a valid one, each required field
 * missing, each field null, wrong types, boundary and oversized values, unknown enum values, NUL
 * characters, and a few random values (fast-check, fixed seed); as anonymous, coordinator, org
 * admin, employee and provider staff, with real ids so that handlers are reached.
 * Never a 5xx; every 4xx in the error shape; nothing written by a batch of refused inputs.
 */
type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
type Role = 'anonymous' | 'coordinator' | 'orgAdmin' | 'employee' | 'staff';
interface Case {
  label: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body?: unknown;
}

const SEED = 20261202;
const MAX_INVALID_CASES = 12;
/** Written on a refusal by design: failed sign-ins are counted to throttle guessing. */
const WRITTEN_ON_REFUSAL = new Set(['login_failures']);

describe('every operation of the OpenAPI document, with inputs from its own schemas', () => {
  // scheduled work waits, so that only the requests change the database
  const t = useTestContext({ smtp: true, env: { DISPATCH_INTERVAL_MS: '3600000' } });

  it('never answers 5xx; answers every 4xx in the error shape; writes nothing on a refused input', async () => {
    const document = (await request(t.app.baseUrl).get('/api/docs-json').expect(200)).body;
    const deref = (schema: Schema | undefined): Schema => {
      let s = schema ?? {};
      while (s.$ref) s = document.components.schemas[s.$ref.split('/').pop()];
      return s;
    };

    // Real ids for the path parameters, so that handlers are reached.
    const coordinator = await givenUser(t, { coordinator: true });
    const org = await givenOrganisation(t);
    const employee = await givenMember(t, org.id);
    const course = await givenCourse(t, { endsAt: new Date(t.app.clock.now().getTime() + 10 * 24 * 3600_000) });
    const staff = await givenProviderStaff(t, course.providerId);
    const round = await givenRound(t, coordinator);
    const booking = await t.app.http.post(`/api/v1/sessions/${course.sessionId}/bookings`).set(employee.auth).send({}).expect(201);
    const invitation = await t.app.http.post(`/api/v1/organisations/${org.id}/invitations`).set(org.admin.auth).send({ email: 'inbjuden@example.se', role: 'employee' }).expect(201);
    const questionnaireId = await shippedQuestionnaireId(t, 'course_evaluation');
    const [plan] = await t.db.query<{ id: string }>('SELECT id FROM follow_up_plans LIMIT 1');
    const users: Record<Role, GivenUser | undefined> = { anonymous: undefined, coordinator, orgAdmin: org.admin, employee, staff };
    const ids: Record<string, string> = {
      organisations: org.id,
      providers: course.providerId,
      offerings: course.offeringId,
      sessions: course.sessionId,
      bookings: booking.body.id,
      'needs-rounds': round.id,
      questionnaires: questionnaireId,
      'follow-up-plans': plan.id,
      members: employee.id,
      staff: staff.id,
      invitations: invitation.body.id,
      'staff-invitations': invitation.body.id,
      assessments: org.id,
    };
    const paramValue = (path: string, name: string): string => {
      const segments = path.split('/');
      const at = segments.indexOf(`{${name}}`);
      const before = segments[at - 1];
      if (name === 'token') return 'ett-okant-token-som-inte-finns-0123456789abcdef';
      if (name === 'organisationId') return org.id;
      if (name === 'userId') return before === 'staff' ? staff.id : employee.id;
      return ids[before] ?? randomUUID();
    };

    // A value that fits a schema (its example where there is one).
    const sample = (schema: Schema | undefined, depth = 0): unknown => {
      const s = deref(schema);
      if (s.example !== undefined) return structuredClone(s.example);
      if (s.enum) return s.enum[0];
      if (s.oneOf || s.anyOf || s.allOf) return sample((s.oneOf ?? s.anyOf ?? s.allOf)[0], depth);
      switch (s.type) {
        case 'object': {
          if (depth > 4) return {};
          const out: Record<string, unknown> = {};
          for (const [name, property] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) out[name] = sample(property, depth + 1);
          return out;
        }
        case 'array':
          return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items, depth + 1));
        case 'integer':
        case 'number':
          return s.minimum ?? 1;
        case 'boolean':
          return true;
        case 'string':
          if (s.format === 'date-time') return new Date(t.app.clock.now().getTime() + 20 * 24 * 3600_000).toISOString();
          if (s.format === 'uuid') return randomUUID();
          if (s.format === 'email') return 'walker@example.se';
          return 'x'.repeat(Math.max(1, s.minLength ?? 1));
        default:
          return 'x';
      }
    };

    // Values a field of this schema must refuse.
    const wrongValues = (schema: Schema | undefined, where: 'query' | 'body'): [string, unknown][] => {
      const s = deref(schema);
      const out: [string, unknown][] = [];
      const type = s.enum ? 'enum' : s.type;
      if (type === 'string' || type === 'enum') {
        out.push(['a number', 12345], ['an object', { a: 1 }], ['a NUL character', 'ett\u0000namn'], [`${where === 'query' ? '4 000' : '100 000'} characters`, 'x'.repeat(where === 'query' ? 4000 : 100_000)]);
        if (s.maxLength !== undefined) out.push([`maxLength + 1`, 'y'.repeat(s.maxLength + 1)]);
        if (type === 'enum') out.push(['an unknown enum value', 'no_such_value']);
        if (s.format) out.push([`not a ${s.format}`, 'inte-ett-värde']);
      } else if (type === 'integer' || type === 'number') {
        out.push(['a string', 'tolv'], ['1e308', 1e308], ['-2^53', -(2 ** 53)], ['NaN as text', 'NaN']);
        if (type === 'integer') out.push(['a fraction', 1.5]);
        if (s.minimum !== undefined) out.push(['minimum - 1', s.minimum - 1]);
        if (s.maximum !== undefined) out.push(['maximum + 1', s.maximum + 1]);
      } else if (type === 'boolean') {
        out.push(['a string', 'kanske'], ['a number', 2]);
      } else if (type === 'array') {
        const many = where === 'query' ? 1000 : 10_000;
        out.push(['not an array', 'inte-en-lista'], [`${many} items`, Array.from({ length: many }, () => 'x')], ['items with a NUL', ['a\u0000']]);
        const item = deref(s.items);
        if (item.enum) out.push(['an unknown enum item', ['no_such_value']]);
      } else if (type === 'object') {
        out.push(['a string', 'inte-ett-objekt'], ['an array', [1, 2]]);
      }
      return out;
    };

    const operations: Operation[] = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ ...op, method, path })),
    );
    expect(operations.length).toBeGreaterThan(80);

    const casesOf = (op: Operation): { valid: Case; invalid: Case[] } => {
      const params = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, paramValue(op.path, p.name)]));
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
      const query = Object.fromEntries(queryParams.filter((p) => p.required).map((p) => [p.name, sample(p.schema)]));
      const bodySchema = deref(op.requestBody?.content['application/json']?.schema);
      const body = op.requestBody ? sample(bodySchema) : undefined;
      const valid: Case = { label: 'valid', params, query, body };
      const invalid: Case[] = [];
      for (const p of (op.parameters ?? []).filter((p) => p.in === 'path')) {
        for (const [what, value] of [['malformed', 'inte-ett-id'], ['a NUL character', 'a\u0000b'], ['2 000 characters', 'z'.repeat(2000)]] as const) {
          invalid.push({ label: `path ${p.name}: ${what}`, params: { ...params, [p.name]: value }, query, body });
        }
      }
      for (const p of queryParams) {
        for (const [what, value] of wrongValues(p.schema, 'query')) invalid.push({ label: `query ${p.name}: ${what}`, params, query: { ...query, [p.name]: value }, body });
      }
      if (op.requestBody && bodySchema.type === 'object') {
        const properties = Object.entries((bodySchema.properties ?? {}) as Record<string, Schema>);
        for (const name of (bodySchema.required ?? []) as string[]) {
          const { [name]: _, ...rest } = body as Record<string, unknown>;
          invalid.push({ label: `body without required ${name}`, params, query, body: rest });
        }
        for (const [name, property] of properties) {
          invalid.push({ label: `body ${name}: null`, params, query, body: { ...(body as object), [name]: null } });
          for (const [what, value] of wrongValues(property, 'body')) invalid.push({ label: `body ${name}: ${what}`, params, query, body: { ...(body as object), [name]: value } });
          // one level down: each required field of a nested object missing
          const nested = deref(property);
          if (nested.type === 'object') {
            for (const inner of (nested.required ?? []) as string[]) {
              const { [inner]: _, ...rest } = (body as Record<string, Record<string, unknown>>)[name] ?? {};
              invalid.push({ label: `body ${name} without required ${inner}`, params, query, body: { ...(body as object), [name]: rest } });
            }
          }
        }
        invalid.push({ label: 'body: an unknown field', params, query, body: { ...(body as object), noSuchField: 'x' } });
        invalid.push({ label: 'body: an array', params, query, body: [body] });
        // Random JSON values in random fields (fast-check, fixed seed).
        const random = fc.sample(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { seed: SEED + op.path.length, numRuns: 4 });
        for (const [index, value] of random) {
          if (properties.length === 0) break;
          const [name] = properties[index % properties.length];
          invalid.push({ label: `body ${name}: random ${JSON.stringify(value).slice(0, 40)}`, params, query, body: { ...(body as object), [name]: value } });
        }
      }
      // A deterministic selection when there are many.
      const chosen = invalid.length <= MAX_INVALID_CASES ? invalid : fc.sample(fc.shuffledSubarray(invalid, { minLength: MAX_INVALID_CASES, maxLength: MAX_INVALID_CASES }), { seed: SEED, numRuns: 1 })[0];
      return { valid, invalid: chosen };
    };

    const http = request(t.app.baseUrl);
    const send = (op: Operation, c: Case, role: Role) => {
      const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(c.params[name]));
      const query = Object.fromEntries(Object.entries(c.query).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]));
      let req = (http as unknown as Record<string, (u: string) => request.Test>)[op.method](url).query(query);
      const user = users[role];
      if (user) req = req.set(user.auth);
      if (c.body !== undefined) req = req.send(c.body as object);
      return req;
    };

    const tables = (
      await t.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)
    ).map((r) => r.table_name).filter((name) => !WRITTEN_ON_REFUSAL.has(name));
    const snapshot = async () =>
      (await t.db.query<{ t: string; n: string; h: string | null }>(tables.map((name) => `SELECT '${name}' AS t, count(*)::text AS n, sum(hashtext(x::text))::text AS h FROM "${name}" x`).join(' UNION ALL ')))
        .map((r) => `${r.t}:${r.n}:${r.h}`)
        .join(' ');

    const problems: string[] = [];
    let requests = 0;
    const judge = (op: Operation, c: Case, role: Role, res: request.Response) => {
      requests++;
      const at = `${op.method.toUpperCase()} ${op.path} as ${role}, ${c.label}`;
      if (res.status >= 500) problems.push(`${at}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (res.status >= 400 && res.headers['content-type']?.includes('json')) {
        const b = res.body;
        const shape = b && b.statusCode === res.status && typeof b.code === 'string' && typeof b.message === 'string' && typeof b.requestId === 'string';
        const extra = Object.keys(b ?? {}).filter((k) => !['statusCode', 'code', 'message', 'details', 'requestId'].includes(k));
        if (!shape || extra.length) problems.push(`${at}: ${res.status} not in the error shape: ${JSON.stringify(b).slice(0, 200)}`);
      } else if (res.status >= 400) problems.push(`${at}: ${res.status} with ${res.headers['content-type']}, not the JSON error shape`);
    };

    // 1. Refused inputs, as the coordinator (who reaches every handler; the first also anonymous): nothing may be written.
    const cases = new Map(operations.map((op) => [op, casesOf(op)]));
    for (const op of operations) {
      const before = await snapshot();
      let accepted = false;
      for (const [i, c] of cases.get(op)!.invalid.entries()) {
        for (const role of i === 0 ? (['coordinator', 'anonymous'] as const) : (['coordinator'] as const)) {
          const res = await send(op, c, role);
          judge(op, c, role, res);
          if (res.status < 400) accepted = true;
        }
      }
      // A mutation that happened to be valid may write; only a batch of refusals must change nothing.
      if (!accepted && (await snapshot()) !== before) problems.push(`${op.method.toUpperCase()} ${op.path}: refused inputs changed the database`);
    }

    // 2. The valid input as every role; reads first, erasure of the account last.
    const order = (op: Operation) => (op.method === 'get' ? 0 : op.method === 'delete' ? (op.path === '/api/v1/me' ? 3 : 2) : 1);
    for (const op of [...operations].sort((a, b) => order(a) - order(b))) {
      for (const role of ['anonymous', 'employee', 'staff', 'orgAdmin', 'coordinator'] as const) {
        const c = cases.get(op)!.valid;
        judge(op, c, role, await send(op, c, role));
      }
    }
    expect(problems).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
    // 69 s and 90 s measured on a busy 2-core machine (2 000+ requests): bounded by the case counts, not timed.
  }, 300_000);
});
