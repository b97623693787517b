import fs from 'node:fs';
import path from 'node:path';

/**
 * Declared boundaries (issue 24, F4). "A module owns its tables; others hold ids": a module reaches
 * another module's rows through the owner's service. Raw SQL that reads (or writes) another
 * module's table anyway must be declared here with its reason, so that a new one is a decision in
 * review and not an accident. Reference data (municipalities, themes, formats, accessibility
 * features) may be read by anyone. A table belongs to the module whose folder holds its entity;
 * `getRepository(Entity)` of another module's entity counts as access too.
 *
 * To remove an entry: route the access through the owner's service (or a view the owner publishes
 * in its migrations), then delete the line. The list may only shrink without a reason.
 */
const DECLARED: Record<string, { tables: string[]; why: string }> = {
  // auth
  'src/auth/users.service.ts': { tables: ['idempotency_keys'], why: 'erasure deletes the account\'s idempotency replays (common has no erase contributor of its own yet)' },
  // bookings: the seat counter and the batched booking context read (measured hot paths; see ARCHITECTURE)
  'src/bookings/attendance.service.ts': { tables: ['sessions', 'offerings'], why: 'attendance needs the session\'s times and provider in the locked statement' },
  'src/bookings/booking-access.ts': { tables: ['organisation_members', 'provider_staff', 'sessions', 'offerings'], why: 'who may act on a booking, in one statement' },
  'src/bookings/booking-batches.ts': { tables: ['sessions', 'offerings'], why: 'the seat counter and waitlist length (bookings is their sole writer), and the offering\'s status re-checked in the same statement as the slow path (F8)' },
  'src/bookings/booking-jobs.scheduler.ts': { tables: ['sessions'], why: 'lock order session → booking; seat counter' },
  'src/bookings/booking-notifications.ts': { tables: ['users', 'organisation_members'], why: 'recipients of booking emails, read in the booking transaction' },
  'src/bookings/booking-queries.service.ts': { tables: ['users'], why: 'names and emails in participant lists' },
  'src/bookings/booking-seats.ts': { tables: ['sessions'], why: 'the seat counter (conditional UPDATE … WHERE seats_taken < capacity)' },
  'src/bookings/booking-session-listeners.ts': { tables: ['sessions', 'offerings'], why: 'seat counter on session changes, inside the catalogue\'s transaction; a session\'s end for the retention of booking notes' },
  'src/bookings/booking-sessions.repository.ts': {
    tables: ['offerings', 'providers', 'sessions', 'users', 'organisation_members'],
    why: 'the batched booking context read (one statement per booking request, benchmarked) and the session lock',
  },
  'src/bookings/bookings.repository.ts': { tables: ['sessions', 'offerings', 'providers', 'users', 'organisations'], why: 'booking lists with course, provider and person names' },
  // catalogue, organisations: names and emails of people
  'src/catalogue/provider-staff.service.ts': { tables: ['users'], why: 'staff list with names and emails (a view of active users would declare this)' },
  'src/organisations/members.service.ts': { tables: ['users'], why: 'member list with names and emails' },
  'src/organisations/people.service.ts': { tables: ['users'], why: 'locks and reads the account in people\'s transactions (UsersService could offer lockActive)' },
  // follow-up
  'src/follow-up/evaluations.service.ts': { tables: ['offerings'], why: 'the course title on the survey form' },
  'src/follow-up/follow-up-status.service.ts': { tables: ['mail_outbox'], why: 'deliveries per invitation by dedupe key (MailService could count by key prefix)' },
  'src/follow-up/follow-up.dispatcher.ts': { tables: ['users', 'offerings'], why: 'recipients and course titles of the claimed batch, in its statement' },
  'src/follow-up/follow-up.module.ts': { tables: ['offerings'], why: 'the personal-data export names the course' },
  'src/follow-up/follow-up.service.ts': { tables: ['organisation_members', 'offerings', 'sessions'], why: 'invitations created in the attendance transaction' },
  'src/follow-up/plans.service.ts': { tables: ['offerings'], why: 'an offering\'s plan: the offering must exist' },
  'src/follow-up/results.service.ts': { tables: ['organisations'], why: 'results per organisation: the organisation must exist' },
  // matching: a read model, one statement per page, checked against an oracle
  'src/matching/matching-access.service.ts': { tables: ['needs_rounds', 'organisation_members', 'needs_statements'], why: 'who may see a statement\'s matches' },
  'src/matching/matching.repository.ts': { tables: ['offerings'], why: 'the recommendation read model' },
  'src/matching/matching.sql.ts': {
    tables: ['sessions', 'needs_round_organisations', 'needs_rounds', 'person_profiles', 'needs_statements', 'organisation_members', 'offerings', 'providers'],
    why: 'the recommendation and coverage read model (one statement per page, benchmarked)',
  },
  // needs
  'src/needs/needs-access.service.ts': { tables: ['organisation_members', 'provider_staff'], why: 'who may act on a round or an organisation\'s answers' },
  'src/needs/needs-assessments.service.ts': { tables: ['providers'], why: 'a suggested provider must exist' },
  'src/needs/needs-organisations.repository.ts': { tables: ['organisations', 'organisation_members', 'users'], why: 'the organisations and admins a round invites, gathered in one repository' },
  'src/needs/needs-report.repository.ts': { tables: ['providers'], why: 'provider names in the report' },
  'src/needs/needs-rounds.service.ts': { tables: ['organisation_members'], why: 'the caller\'s organisations' },
  // participants (ESF): the register and indicators read model, gathered in one repository
  'src/participants/participants.repository.ts': {
    tables: ['programmes', 'interventions', 'intervention_offerings', 'sessions', 'bookings', 'users', 'organisations', 'person_profiles', 'person_sensitive_data', 'organisation_members'],
    why: 'the ESF register and indicators: which bookings deliver an ESF programme, names for coordinators, profiles (and disability, only counted) for indicators, organisation numbers',
  },
  // web: every page view resolves its session
  'src/web/web-sessions.service.ts': {
    tables: ['users', 'provider_staff'],
    why: 'a page view reads its session and the account (erased? tokens revoked? provider staff, for the menu?) in one statement (bench/web)',
  },
  // programmes: progress and indicators read model
  'src/programmes/programmes.repository.ts': {
    tables: ['offerings', 'sessions', 'bookings', 'person_profiles', 'evaluation_invitations', 'evaluation_responses', 'organisations'],
    why: 'programme progress (bookings, attendance, answers per intervention) in one read model',
  },
};

const REFERENCE_OWNER = 'reference';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full.split(path.sep).join('/')] : [];
  });
}

const moduleOf = (file: string) => file.split('/')[1];

function scan(): { owners: Map<string, string>; access: Map<string, Set<string>> } {
  const files = sources('src');
  const owners = new Map<string, string>(); // table → module
  const entityTable = new Map<string, string>(); // entity class → table
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/@Entity\(\{\s*name:\s*'([a-z_0-9]+)'/g)) {
      const cls = /export class (\w+)/.exec(text.slice(m.index))?.[1];
      if (!cls) throw new Error(`no class after @Entity in ${file}`);
      owners.set(m[1], moduleOf(file));
      entityTable.set(cls, m[1]);
    }
  }
  const access = new Map<string, Set<string>>();
  for (const file of files) {
    if (file.includes('/migrations/')) continue;
    const text = fs.readFileSync(file, 'utf8');
    const tables = [
      ...[...text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+"?([a-z_][a-z0-9_]*)"?/g)].map((m) => m[1]),
      ...[...text.matchAll(/getRepository\((\w+)\)/g)].map((m) => entityTable.get(m[1])).filter((t): t is string => t !== undefined),
    ];
    for (const table of tables) {
      const owner = owners.get(table);
      if (!owner || owner === moduleOf(file) || owner === REFERENCE_OWNER) continue;
      if (!access.has(file)) access.set(file, new Set());
      access.get(file)!.add(table);
    }
  }
  return { owners, access };
}

describe('module boundaries in SQL (declared cross-module table access)', () => {
  const { owners, access } = scan();

  it('finds the tables and their owners', () => {
    expect(owners.get('users')).toBe('auth');
    expect(owners.get('sessions')).toBe('catalogue');
    expect(owners.get('evaluation_responses')).toBe('follow-up');
    expect(owners.get('mail_outbox')).toBe('mail');
    expect(owners.size).toBeGreaterThanOrEqual(30);
  });

  it('has no undeclared access to another module\'s table', () => {
    const undeclared: string[] = [];
    for (const [file, tables] of access) {
      for (const table of tables) {
        if (!DECLARED[file]?.tables.includes(table)) undeclared.push(`${file} → ${table} (owned by ${owners.get(table)})`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('invitations write accounts through the users service, never into users directly', () => {
    expect(access.get('src/invitations/invitations.service.ts')).toBeUndefined();
    expect(fs.readFileSync('src/invitations/invitations.service.ts', 'utf8')).not.toMatch(/INSERT INTO users|getRepository\(User\)/);
  });

  it('declares a reason for every entry', () => {
    for (const [file, entry] of Object.entries(DECLARED)) {
      expect([file, entry.why.length > 10]).toEqual([file, true]);
    }
  });
});
