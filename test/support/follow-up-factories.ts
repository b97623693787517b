import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { DataSource } from 'typeorm';
import { FollowUpDispatcher } from '../../src/follow-up/follow-up.dispatcher.js';
import { FollowUpService } from '../../src/follow-up/follow-up.service.js';
import type { TestApp } from './app.js';
import type { TestDatabase } from './database.js';
import { givenUser, type GivenUser } from './factories.js';

type Ctx = { app: TestApp; db: TestDatabase };

export interface GivenCourse {
  providerId: string;
  offeringId: string;
  sessionId: string;
  endsAt: Date;
  title: string;
}

/**
 * A provider with one published offering and one session, written straight to the catalogue's
 * tables (the catalogue routes live on another branch). The session ends at `endsAt` (default: now
 * by the app's clock).
 */
export async function givenCourse(
  ctx: Ctx,
  options: { endsAt?: Date; themeCodes?: string[]; providerId?: string; title?: string } = {},
): Promise<GivenCourse> {
  const endsAt = options.endsAt ?? ctx.app.clock.now();
  const providerId = options.providerId ?? randomUUID();
  if (!options.providerId) {
    await ctx.db.query(`INSERT INTO providers (id, name, kind) VALUES ($1, $2, 'study_association')`, [providerId, `Studieförbund ${providerId.slice(0, 8)}`]);
  }
  const title = options.title ?? `Bokföring för föreningar ${randomUUID().slice(0, 6)}`;
  const [offering] = await ctx.db.query<{ id: string }>(
    `INSERT INTO offerings (provider_id, title, description, theme_codes, format, target_groups, status, published_at)
     VALUES ($1, $2, 'En kurs.', $3, 'short_course', '{social_economy}', 'published', now()) RETURNING id`,
    [providerId, title, options.themeCodes ?? ['finance_accounting']],
  );
  const startsAt = new Date(endsAt.getTime() - 3 * 3600_000);
  const [session] = await ctx.db.query<{ id: string }>(
    `INSERT INTO sessions (offering_id, starts_at, ends_at, online, capacity, booking_closes_at) VALUES ($1, $2, $3, true, 200, $2) RETURNING id`,
    [offering.id, startsAt, endsAt],
  );
  return { providerId, offeringId: offering.id, sessionId: session.id, endsAt, title };
}

/** Makes a person staff of a provider. */
export async function givenProviderStaff(ctx: Ctx, providerId: string): Promise<GivenUser> {
  const user = await givenUser(ctx, { name: 'Kursledare' });
  await ctx.db.query('INSERT INTO provider_staff (provider_id, user_id) VALUES ($1, $2)', [providerId, user.id]);
  return user;
}

/**
 * What the bookings module will do when a provider records attendance: call the follow-up seam
 * inside a transaction, once per booking. Returns the booking ids used.
 */
export async function recordAttendance(
  ctx: Ctx,
  course: GivenCourse,
  people: { user: { id: string }; attended: boolean; bookingId?: string; locale?: 'sv' | 'en'; organisationId?: string | null }[],
): Promise<string[]> {
  const followUp = ctx.app.app.get(FollowUpService);
  const ids = people.map((p) => p.bookingId ?? randomUUID());
  await ctx.app.app.get(DataSource).transaction(async (manager) => {
    for (const [i, p] of people.entries()) {
      await followUp.attendanceRecorded(manager, {
        bookingId: ids[i],
        userId: p.user.id,
        sessionId: course.sessionId,
        offeringId: course.offeringId,
        sessionEndsAt: course.endsAt,
        attended: p.attended,
        ...(p.locale ? { locale: p.locale } : {}),
        ...(p.organisationId !== undefined ? { organisationId: p.organisationId } : {}),
      });
    }
  });
  return ids;
}

/** Runs the follow-up dispatcher once, then the mail dispatcher; returns what the follow-up dispatcher queued. */
export async function dispatchFollowUp(app: TestApp): Promise<{ invitations: number; reminders: number }> {
  const queued = await app.app.get(FollowUpDispatcher).dispatchDue();
  await app.dispatchMail();
  return queued;
}

/** The token of the survey link in an email. */
export function surveyToken(mail: ParsedMail): string {
  const match = /\/survey\/([A-Za-z0-9_-]{20,})/.exec(mail.text ?? '');
  if (!match) throw new Error(`no survey link in: ${mail.text}`);
  return match[1];
}

/** Creates a plan through the API. */
export async function givenPlan(ctx: Ctx, coordinator: GivenUser, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await ctx.app.http.post('/api/v1/follow-up-plans').set(coordinator.auth).send(body);
  if (res.status !== 201) throw new Error(`plan: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function shippedQuestionnaireId(ctx: Ctx, key: 'course_evaluation' | 'effect_followup'): Promise<string> {
  const [row] = await ctx.db.query<{ id: string }>('SELECT id FROM questionnaires WHERE key = $1', [key]);
  return row.id;
}

/** A form body that answers the shipped course evaluation. */
export const COURSE_ANSWERS = { satisfaction: 5, relevance: 4, leader: 5, accessibility: 'yes', comments: 'Bra kurs.' };

export interface ParsedForm {
  action: string;
  /** Every control: radios and checkboxes with their values; text inputs and textareas. */
  controls: { name: string; type: string; value: string; id: string }[];
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Reads the answer form of a survey page the way a browser would see it (no JavaScript involved). */
export function parseForm(html: string): ParsedForm {
  const form = /<form[^>]*method="post"[^>]*>/.exec(html);
  if (!form) throw new Error('no form on the page');
  const controls: ParsedForm['controls'] = [];
  for (const tag of html.match(/<input[^>]*>/g) ?? []) {
    controls.push({ name: attr(tag, 'name'), type: attr(tag, 'type'), value: unescape(attr(tag, 'value')), id: attr(tag, 'id') });
  }
  for (const m of html.matchAll(/<textarea([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    controls.push({ name: attr(m[1], 'name'), type: 'textarea', value: unescape(m[2]), id: attr(m[1], 'id') });
  }
  return { action: unescape(attr(form[0], 'action')), controls };
}

/** A urlencoded body as a browser builds it: picks the given value per name (all given values for checkboxes). */
export function fillForm(form: ParsedForm, values: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  // Hidden fields go as they are (the CSRF token).
  for (const control of form.controls) if (control.type === 'hidden') body.append(control.name, control.value);
  const names = new Set(form.controls.map((c) => c.name));
  for (const [name, value] of Object.entries(values)) {
    if (!names.has(name)) throw new Error(`the form has no field named ${name}`);
    for (const v of Array.isArray(value) ? value : [value]) {
      const control = form.controls.find((c) => c.name === name && (c.type === 'radio' || c.type === 'checkbox' ? c.value === v : true));
      if (!control) throw new Error(`the form has no option ${v} for ${name}`);
      body.append(name, v);
    }
  }
  return body.toString();
}

/**
 * A finished course with a per-offering plan (sent 1 s after the end, no reminders), `people`
 * attended and invited; returns the people and the link token each received.
 */
export async function givenInvitedCourse(
  ctx: Ctx & { smtp: { waitForMailTo(address: string, count?: number): Promise<ParsedMail[]> } },
  coordinator: GivenUser,
  people: number,
  options: { organisationId?: string | null; course?: GivenCourse; questionnaireId?: string } = {},
): Promise<{ course: GivenCourse; invited: { user: GivenUser; token: string }[] }> {
  const course = options.course ?? (await givenCourse(ctx));
  if (!options.course) {
    await givenPlan(ctx, coordinator, {
      questionnaireId: options.questionnaireId ?? (await shippedQuestionnaireId(ctx, 'course_evaluation')),
      offeringId: course.offeringId,
      sendOffsets: ['PT1S'],
    });
  }
  const users: GivenUser[] = [];
  for (let i = 0; i < people; i++) users.push(await givenUser(ctx, { name: `Deltagare ${i + 1}` }));
  await recordAttendance(
    ctx,
    course,
    users.map((user) => ({ user, attended: true, ...(options.organisationId !== undefined ? { organisationId: options.organisationId } : {}) })),
  );
  ctx.app.clock.advance(2_000);
  await dispatchFollowUp(ctx.app);
  const invited = [];
  for (const user of users) invited.push({ user, token: surveyToken((await ctx.smtp.waitForMailTo(user.email))[0]) });
  return { course, invited };
}
