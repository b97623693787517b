import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';
import type { TestDatabase } from './database.js';

export interface GivenUser {
  id: string;
  email: string;
  password: string;
  name: string;
  token: string;
  auth: { Authorization: string };
}

let counter = 0;

export function uniqueEmail(prefix = 'person'): string {
  counter += 1;
  return `${prefix}.${counter}.${randomBytes(3).toString('hex')}@example.se`;
}

/** Registers a person through the API and signs them in; `coordinator` also grants that role. */
export async function givenUser(
  ctx: { app: TestApp; db: TestDatabase },
  options: { email?: string; password?: string; name?: string; coordinator?: boolean; locale?: 'sv' | 'en' } = {},
): Promise<GivenUser> {
  const email = (options.email ?? uniqueEmail()).toLowerCase();
  const password = options.password ?? 'ett-bra-lösenord-123';
  const name = options.name ?? 'Test Person';
  const registered = await ctx.app.http
    .post('/api/v1/auth/register')
    .send({ email, password, name, ...(options.locale ? { locale: options.locale } : {}) })
    .expect(201);
  const id = registered.body.user.id as string;
  if (options.coordinator) {
    await ctx.db.query(`UPDATE users SET global_role = 'coordinator' WHERE id = $1`, [id]);
  }
  const token = registered.body.accessToken as string;
  return { id, email, password, name, token, auth: { Authorization: `Bearer ${token}` } };
}

/** Counts rows, for "nothing was written" assertions. */
export async function countRows(db: TestDatabase, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return row.n;
}
