import jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { TEST_JWT_SECRET } from './app.js';
import type { TestDatabase } from './database.js';

/**
 * Bookings tests need many people and sessions; registering through the API (argon2) is slow and
 * the catalogue's HTTP API lives elsewhere, so these insert rows directly and sign tokens with the
 * test secret (the JWT strategy only reads `sub`).
 */
export interface FastUser {
  id: string;
  email: string;
  name: string;
  token: string;
  auth: { Authorization: string };
}

let counter = 0;
const unique = () => `${++counter}.${randomBytes(3).toString('hex')}`;

export function tokenFor(userId: string): string {
  return jwt.sign({ sub: userId }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: '2h' });
}

export async function fastUsers(
  db: TestDatabase,
  count: number,
  options: { prefix?: string; locale?: 'sv' | 'en'; coordinator?: boolean } = {},
): Promise<FastUser[]> {
  const people = Array.from({ length: count }, () => {
    const tag = unique();
    return { email: `${options.prefix ?? 'person'}.${tag}@example.se`, name: `${options.prefix ?? 'Person'} ${tag}` };
  });
  const rows = await db.query<{ id: string; email: string; name: string }>(
    `INSERT INTO users (email, name, locale, global_role)
     SELECT e, n, $3, $4 FROM unnest($1::text[], $2::text[]) AS t(e, n)
     RETURNING id, email, name`,
    [people.map((p) => p.email), people.map((p) => p.name), options.locale ?? 'sv', options.coordinator ? 'coordinator' : null],
  );
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  return people.map((p) => {
    const row = byEmail.get(p.email)!;
    const token = tokenFor(row.id);
    return { id: row.id, email: row.email, name: row.name, token, auth: { Authorization: `Bearer ${token}` } };
  });
}

export async function fastUser(db: TestDatabase, options: { prefix?: string; locale?: 'sv' | 'en'; coordinator?: boolean } = {}): Promise<FastUser> {
  return (await fastUsers(db, 1, options))[0];
}

/** Valid organisation numbers (Luhn) are not checked on direct inserts; keep them unique. */
export async function givenOrganisation(db: TestDatabase, name = `Kooperativet ${unique()}`): Promise<string> {
  const digits = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO organisations (name, org_number, legal_form, sector, municipality_code)
     VALUES ($1, $2, 'ekonomisk_forening', 'social_economy', '0380') RETURNING id`,
    [name, `7${digits.slice(0, 5)}-${digits.slice(5, 9)}`],
  );
  return row.id;
}

export async function givenMember(db: TestDatabase, organisationId: string, userIds: string | string[], role: 'org_admin' | 'employee' = 'employee'): Promise<void> {
  await db.query(
    `INSERT INTO organisation_members (organisation_id, user_id, role) SELECT $1, unnest($2::uuid[]), $3`,
    [organisationId, Array.isArray(userIds) ? userIds : [userIds], role],
  );
}

export async function givenProvider(db: TestDatabase, staffUserIds: string[] = []): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO providers (name, kind, municipality_code) VALUES ($1, 'study_association', '0380') RETURNING id`,
    [`Studieförbundet ${unique()}`],
  );
  for (const userId of staffUserIds) await db.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [row.id, userId]);
  return row.id;
}

export interface SessionOptions {
  capacity?: number;
  startsAt?: Date;
  endsAt?: Date;
  bookingOpensAt?: Date | null;
  bookingClosesAt?: Date;
  cancellationDeadline?: Date | null;
  requiresApproval?: boolean;
  waitlistMode?: 'offer' | 'auto';
  online?: boolean;
  onlineUrl?: string | null;
  venue?: string | null;
  offeringStatus?: 'draft' | 'published';
  title?: string;
}

const DAY = 24 * 3600_000;

/** A published offering with one scheduled session, 10 days ahead by default. */
export async function givenSession(db: TestDatabase, providerId: string, options: SessionOptions = {}): Promise<{ id: string; offeringId: string; startsAt: Date; endsAt: Date }> {
  const startsAt = options.startsAt ?? new Date(Math.ceil((Date.now() + 10 * DAY) / 3600_000) * 3600_000);
  const endsAt = options.endsAt ?? new Date(startsAt.getTime() + 3 * 3600_000);
  const [offering] = await db.query<{ id: string }>(
    `INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status, published_at)
     VALUES ($1, $2, 'En kurs för sociala företag.', '{public_procurement}', 'short_course', '{social_economy}', $3, now()) RETURNING id`,
    [providerId, options.title ?? 'Offentlig upphandling för sociala företag', options.offeringStatus ?? 'published'],
  );
  const [session] = await db.query<{ id: string }>(
    `INSERT INTO sessions (offering_id, starts_at, ends_at, municipality_code, online, venue, online_url, capacity,
                           booking_opens_at, booking_closes_at, cancellation_deadline, requires_approval, waitlist_mode)
     VALUES ($1, $2, $3, '0380', $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      offering.id,
      startsAt,
      endsAt,
      options.online ?? false,
      options.venue === undefined ? 'Storgatan 1, sal 3' : options.venue,
      options.onlineUrl ?? null,
      options.capacity ?? 10,
      options.bookingOpensAt ?? null,
      options.bookingClosesAt ?? startsAt,
      options.cancellationDeadline ?? null,
      options.requiresApproval ?? false,
      options.waitlistMode ?? 'offer',
    ],
  );
  return { id: session.id, offeringId: offering.id, startsAt, endsAt };
}

export async function seatsTaken(db: TestDatabase, sessionId: string): Promise<number> {
  const [row] = await db.query<{ seats_taken: number }>('SELECT seats_taken FROM sessions WHERE id = $1', [sessionId]);
  return row.seats_taken;
}

/**
 * Every session's seats_taken equals its confirmed + offered bookings and never exceeds capacity,
 * and its waitlist_length equals its waitlisted bookings.
 */
export async function seatAccountingErrors(db: TestDatabase): Promise<unknown[]> {
  return db.query(
    `SELECT s.id, s.capacity, s.seats_taken, s.waitlist_length,
            count(b.id) FILTER (WHERE b.status IN ('confirmed', 'offered'))::int AS holding,
            count(b.id) FILTER (WHERE b.status = 'waitlisted')::int AS waiting
       FROM sessions s LEFT JOIN bookings b ON b.session_id = s.id
      GROUP BY s.id
     HAVING s.seats_taken <> count(b.id) FILTER (WHERE b.status IN ('confirmed', 'offered')) OR s.seats_taken > s.capacity
         OR s.waitlist_length <> count(b.id) FILTER (WHERE b.status = 'waitlisted')`,
  );
}

/** Scheduled sessions where someone is waitlisted beside a free seat (there should be none). */
export async function waitlistErrors(db: TestDatabase): Promise<unknown[]> {
  return db.query(
    `SELECT s.id, s.capacity, s.seats_taken, s.waitlist_length
       FROM sessions s
      WHERE s.status = 'scheduled' AND s.seats_taken < s.capacity
        AND EXISTS (SELECT 1 FROM bookings b WHERE b.session_id = s.id AND b.status = 'waitlisted')`,
  );
}
