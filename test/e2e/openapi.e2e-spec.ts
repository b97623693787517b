import spectralCore from '@stoplight/spectral-core';
import rulesets from '@stoplight/spectral-rulesets';
import { useTestContext } from '../support/context.js';

const { Spectral } = spectralCore;
const SEVERITY = ['error', 'warn', 'info', 'hint'];

/**
 * Warnings kept on purpose: the operations whose summary says all there is to say carry no separate
 * description (Spectral's operation-description). Every other finding fails the test.
 */
const KEPT_WARNINGS = new Set(['operation-description']);

describe('the OpenAPI document is valid (Spectral, spectral:oas) and complete', () => {
  const t = useTestContext();

  it('has no error and no warning beyond those kept; every operation has tags and a summary', async () => {
    const document = (await t.app.http.get('/api/docs-json').expect(200)).body;
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[rulesets.oas, 'recommended']] } as never);
    const findings = (await spectral.run(JSON.stringify(document))).map((r) => ({
      severity: SEVERITY[r.severity],
      code: String(r.code),
      path: r.path.join('.'),
      message: r.message,
    }));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.filter((f) => f.severity === 'warn' && !KEPT_WARNINGS.has(f.code))).toEqual([]);
    const operations = Object.entries(document.paths as Record<string, Record<string, { tags?: string[]; summary?: string }>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, tags: (op.tags ?? []).length > 0, summary: Boolean(op.summary) })),
    );
    expect(operations.filter((op) => !op.tags || !op.summary)).toEqual([]);
    expect(document.tags.map((tag: { name: string }) => tag.name)).toEqual(expect.arrayContaining(['auth', 'bookings', 'catalogue', 'follow-up']));
  });

  it('the response check itself refuses an undocumented status and a body that does not match', async () => {
    const register = '/api/v1/auth/register';
    expect(t.app.openapi.check('post', register, 418, 'application/json', {})).toMatch(/status not documented/);
    expect(t.app.openapi.check('post', register, 201, 'application/json', { user: { id: 'x' } })).toMatch(/does not match/);
    const formats = await t.app.http.get('/api/v1/formats').expect(200);
    expect(t.app.openapi.check('get', '/api/v1/formats', 200, 'application/json; charset=utf-8', formats.body)).toBeUndefined();
    expect(t.app.openapi.check('get', '/api/v1/formats', 200, 'application/json; charset=utf-8', [{ code: 1 }])).toMatch(/does not match/);
    expect(t.app.openapi.check('get', '/no/such/route', 404, 'application/json', {})).toBeUndefined();
  });
});
