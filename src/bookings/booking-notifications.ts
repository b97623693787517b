import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { type EnqueueMail, MailService } from '../mail/mail.service.js';
import { approvalRequestedMail, bookingMail, type BookingMailKind, type BookingMailSession } from '../mail/templates/booking.template.js';
import { bookingCalendar } from './booking-calendar.js';

export interface Recipient {
  id: string;
  email: string;
  name: string | null;
  locale: Locale;
}

/** Active (not erased) accounts by id. */
export async function findRecipients(manager: EntityManager, ids: string[]): Promise<Map<string, Recipient>> {
  if (ids.length === 0) return new Map();
  const rows = (await manager.query(
    'SELECT id, email, name, locale FROM users WHERE id = ANY($1::uuid[]) AND erased_at IS NULL',
    [ids],
  )) as Recipient[];
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * One method per booking email, each written to the outbox in the caller's transaction with a
 * dedupe key per booking and kind (so a retried transaction or a second job run sends once).
 */
@Injectable()
export class BookingNotifications {
  constructor(
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The booking's web page (where the participant sees and cancels it). */
  bookingUrl(bookingId: string): string {
    return `${this.config.publicBaseUrl}/bokningar/${bookingId}`;
  }

  calendar(bookingId: string, session: BookingMailSession, participantEmail: string): string {
    return bookingCalendar({
      bookingId,
      session,
      participantEmail,
      url: this.bookingUrl(bookingId),
      organizerEmail: this.config.mailFrom,
      now: this.clock.now(),
    });
  }

  /** Sends `what` about booking `bookingId` to the participant (nothing for an erased account). */
  async tell(
    manager: EntityManager,
    bookingId: string,
    participant: Recipient | string,
    session: BookingMailSession,
    what: BookingMailKind,
    notBefore?: Date,
  ): Promise<void> {
    const to = typeof participant === 'string' ? (await findRecipients(manager, [participant])).get(participant) : participant;
    if (to) await this.mail.enqueue(manager, this.mailFor(bookingId, to, session, what, notBefore));
  }

  /** The email `tell` writes, rendered (with its calendar file where there is one) but not yet written. */
  mailFor(bookingId: string, to: Recipient, session: BookingMailSession, what: BookingMailKind, notBefore?: Date): EnqueueMail {
    const withCalendar = what.kind === 'confirmed' || (what.kind === 'approved' && what.confirmed);
    return {
      dedupeKey: `booking:${bookingId}:${what.kind}`,
      to: to.email,
      template: `booking-${what.kind}`,
      locale: to.locale,
      content: bookingMail(to.locale, { name: to.name, session, url: this.bookingUrl(bookingId) }, what),
      ...(withCalendar
        ? {
            attachments: [
              { filename: 'kurstillfalle.ics', contentType: 'text/calendar; charset=utf-8', method: 'REQUEST', content: this.calendar(bookingId, session, to.email) },
            ],
          }
        : {}),
      ...(notBefore ? { notBefore } : {}),
    };
  }

  /** Asks every org admin of the organisation to approve or reject. */
  async requestApproval(manager: EntityManager, bookingId: string, organisationId: string, participant: Recipient, session: BookingMailSession): Promise<void> {
    const admins = (await manager.query(
      `SELECT u.id, u.email, u.name, u.locale FROM organisation_members m JOIN users u ON u.id = m.user_id
        WHERE m.organisation_id = $1 AND m.role = 'org_admin' AND u.erased_at IS NULL`,
      [organisationId],
    )) as Recipient[];
    for (const admin of admins) {
      await this.mail.enqueue(manager, {
        dedupeKey: `booking:${bookingId}:approval-requested:${admin.id}`,
        to: admin.email,
        template: 'booking-approval-requested',
        locale: admin.locale,
        content: approvalRequestedMail(admin.locale, {
          adminName: admin.name,
          participantName: participant.name ?? participant.email,
          session,
          url: this.bookingUrl(bookingId),
        }),
      });
    }
  }
}
