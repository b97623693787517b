import { formatDate, formatDateTime } from '../../common/dates.js';
import { FOOTER, Locale, renderMail, RenderedMail } from './layout.js';

/** What every booking email says about the session. */
export interface BookingMailSession {
  title: string;
  providerName: string;
  startsAt: Date;
  endsAt: Date;
  online: boolean;
  onlineUrl: string | null;
  venue: string | null;
  municipalityName: string | null;
}

export interface BookingMail {
  name: string | null;
  session: BookingMailSession;
  /** Link to the booking in the API (or a front end). */
  url: string;
}

export type BookingMailKind =
  /** `bookedBy`: the name (or address) of whoever booked for the participant, when not they themselves. */
  | { kind: 'confirmed'; bookedBy?: string | null }
  | { kind: 'waitlisted'; position: number; bookedBy?: string | null }
  | { kind: 'offered'; expiresAt: Date }
  | { kind: 'offerExpired' }
  | { kind: 'approved'; confirmed: boolean; position: number | null }
  | { kind: 'rejected'; reason: string }
  | { kind: 'cancelled'; byProvider: boolean }
  | { kind: 'sessionCancelled'; reason: string | null }
  | { kind: 'reminder' };

function place(locale: Locale, s: BookingMailSession): string {
  const where = [s.venue, s.municipalityName].filter(Boolean).join(', ');
  if (s.online && s.onlineUrl) {
    const online = locale === 'sv' ? `Online: ${s.onlineUrl}` : `Online: ${s.onlineUrl}`;
    return where ? `${where}. ${online}` : online;
  }
  if (s.online) return locale === 'sv' ? 'Online (länken kommer från utbildningsanordnaren)' : 'Online (the provider sends the link)';
  return where || (locale === 'sv' ? 'Platsen meddelas av utbildningsanordnaren' : 'The provider will tell you where');
}

/**
 * The session in one line: "Titel, 10 december 2026 kl. 09:00–12:00 (Anordnare)"; a session that
 * ends on a later day (in Stockholm) gives the end date too, or the mail would hide the second day.
 */
function when(locale: Locale, s: BookingMailSession): string {
  const end = formatDateTime(s.endsAt, locale);
  const until = formatDate(s.endsAt, locale) === formatDate(s.startsAt, locale) ? `–${end.slice(-5)}` : ` – ${end}`;
  return `${s.title}, ${formatDateTime(s.startsAt, locale)}${until} (${s.providerName})`;
}

export function bookingMail(locale: Locale, data: BookingMail, what: BookingMailKind): RenderedMail {
  const sv = locale === 'sv';
  const s = data.session;
  const session = when(locale, s);
  const where = `${sv ? 'Plats' : 'Place'}: ${place(locale, s)}`;
  const greeting = sv ? (data.name ? `Hej ${data.name}!` : 'Hej!') : data.name ? `Hello ${data.name},` : 'Hello,';
  const action = { label: sv ? 'Visa bokningen' : 'View the booking', url: data.url };
  const mail = (subject: string, paragraphs: string[], withAction = true) =>
    renderMail(locale, { subject, greeting, paragraphs, ...(withAction ? { action } : {}), footer: FOOTER[locale] });

  // Booked by someone else (an org admin, a coordinator): the participant is told who, so that the email is no surprise.
  const bookedBy = (what.kind === 'confirmed' || what.kind === 'waitlisted') && what.bookedBy
    ? [sv ? `${what.bookedBy} har bokat dig.` : `${what.bookedBy} booked this for you.`]
    : [];
  switch (what.kind) {
    case 'confirmed':
      return sv
        ? mail(`Bokningen är klar: ${s.title}`, [`Du har en plats på ${session}.`, ...bookedBy, where, 'En kalenderinbjudan finns bifogad. Kan du inte komma? Avboka så att någon annan får platsen.'])
        : mail(`Booking confirmed: ${s.title}`, [`You have a seat on ${session}.`, ...bookedBy, where, 'A calendar invitation is attached. If you cannot come, please cancel so that someone else gets the seat.']);
    case 'waitlisted':
      return sv
        ? mail(`Du står på väntelistan: ${s.title}`, [`${session} är fullbokad. Du står på väntelistan som nummer ${what.position}.`, ...bookedBy, 'Blir en plats ledig får du ett mejl.'])
        : mail(`You are on the waitlist: ${s.title}`, [`${session} is full. You are number ${what.position} on the waitlist.`, ...bookedBy, 'If a seat frees up, we will email you.']);
    case 'offered':
      return sv
        ? mail(`En plats är ledig åt dig: ${s.title}`, [`En plats har blivit ledig på ${session}.`, `Tacka ja senast ${formatDateTime(what.expiresAt, locale)}, annars går platsen till nästa person på väntelistan.`, where])
        : mail(`A seat is free for you: ${s.title}`, [`A seat has become free on ${session}.`, `Accept it by ${formatDateTime(what.expiresAt, locale)}; after that it goes to the next person on the waitlist.`, where]);
    case 'offerExpired':
      return sv
        ? mail(`Erbjudandet har gått ut: ${s.title}`, [`Du tackade inte ja till platsen på ${session} i tid, så den har gått vidare till nästa person på väntelistan.`, 'Du kan boka igen om det finns platser kvar.'])
        : mail(`The offer has expired: ${s.title}`, [`You did not accept the seat on ${session} in time, so it has passed to the next person on the waitlist.`, 'You may book again if seats are left.']);
    case 'approved':
      if (what.confirmed) {
        return sv
          ? mail(`Din bokning är godkänd: ${s.title}`, [`Din arbetsgivare har godkänt din bokning och du har en plats på ${session}.`, where, 'En kalenderinbjudan finns bifogad.'])
          : mail(`Your booking is approved: ${s.title}`, [`Your employer approved your booking and you have a seat on ${session}.`, where, 'A calendar invitation is attached.']);
      }
      return sv
        ? mail(`Din bokning är godkänd: ${s.title}`, [`Din arbetsgivare har godkänt din bokning av ${session}. Kursen är fullbokad, så du står på väntelistan som nummer ${what.position}.`])
        : mail(`Your booking is approved: ${s.title}`, [`Your employer approved your booking of ${session}. It is full, so you are number ${what.position} on the waitlist.`]);
    case 'rejected':
      return sv
        ? mail(`Din bokning godkändes inte: ${s.title}`, [`Din arbetsgivare har inte godkänt din bokning av ${session}.`, `Motivering: ${what.reason}`])
        : mail(`Your booking was not approved: ${s.title}`, [`Your employer did not approve your booking of ${session}.`, `Reason: ${what.reason}`]);
    case 'cancelled':
      return sv
        ? mail(`Bokningen är avbokad: ${s.title}`, [
            what.byProvider ? `Utbildningsanordnaren har avbokat din plats på ${session}.` : `Din bokning av ${session} är avbokad.`,
          ], false)
        : mail(`Booking cancelled: ${s.title}`, [
            what.byProvider ? `The provider cancelled your booking of ${session}.` : `Your booking of ${session} is cancelled.`,
          ], false);
    case 'sessionCancelled':
      return sv
        ? mail(`Inställt: ${s.title}`, [`Utbildningsanordnaren har ställt in ${session}. Din bokning är avbokad.`, ...(what.reason ? [`Anledning: ${what.reason}`] : [])], false)
        : mail(`Cancelled: ${s.title}`, [`The provider has cancelled ${session}. Your booking is cancelled.`, ...(what.reason ? [`Reason: ${what.reason}`] : [])], false);
    case 'reminder':
      return sv
        ? mail(`Påminnelse: ${s.title} om två dagar`, [`Välkommen till ${session}.`, where, 'Kan du inte komma? Avboka så att någon annan får platsen.'])
        : mail(`Reminder: ${s.title} in two days`, [`Welcome to ${session}.`, where, 'If you cannot come, please cancel so that someone else gets the seat.']);
  }
}

export interface ApprovalRequestMail {
  adminName: string | null;
  participantName: string;
  session: BookingMailSession;
  url: string;
}

/** To the org admins of the organisation a booking was made through. */
export function approvalRequestedMail(locale: Locale, data: ApprovalRequestMail): RenderedMail {
  const session = when(locale, data.session);
  if (locale === 'en') {
    return renderMail(locale, {
      subject: `Approval requested: ${data.participantName}, ${data.session.title}`,
      greeting: data.adminName ? `Hello ${data.adminName},` : 'Hello,',
      paragraphs: [`${data.participantName} would like to attend ${session}. The course needs the employer's approval.`, 'Approve or reject the booking (with a reason) in Kompetenslyft.'],
      action: { label: 'Review the booking', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: `Godkännande behövs: ${data.participantName}, ${data.session.title}`,
    greeting: data.adminName ? `Hej ${data.adminName}!` : 'Hej!',
    paragraphs: [`${data.participantName} vill gå ${session}. Kursen kräver arbetsgivarens godkännande.`, 'Godkänn eller avslå bokningen (med motivering) i Kompetenslyft.'],
    action: { label: 'Granska bokningen', url: data.url },
    footer: FOOTER.sv,
  });
}
