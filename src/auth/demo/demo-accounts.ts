import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { rows } from '../../database/sql.js';
import argon2 from 'argon2';
import { HASH_OPTIONS } from '../users.service.js';

export interface DemoAccount {
  email: string;
  name: string;
  password: string;
  id: string;
}

/**
 * Demo people for `npm run seed:demo` (verified accounts, Swedish), each with a new random password
 * that the seed prints: nothing guessable is left in a database that is later exposed.
 */
export async function createDemoAccounts(manager: EntityManager, people: { email: string; name: string }[]): Promise<DemoAccount[]> {
  const created: DemoAccount[] = [];
  for (const person of people) {
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    const [row] = rows<{ id: string }>(
      await manager.query(
        `INSERT INTO users (email, name, password_hash, locale, email_verified_at) VALUES ($1, $2, $3, 'sv', now()) RETURNING id`,
        [person.email, person.name, await argon2.hash(password, HASH_OPTIONS)],
      ),
    );
    created.push({ ...person, password, id: row.id });
  }
  return created;
}
