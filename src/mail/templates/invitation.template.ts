import { formatDate } from '../../common/dates.js';
import { FOOTER, Locale, renderMail, RenderedMail } from './layout.js';

export interface InvitationMail {
  kind: 'organisation' | 'provider';
  targetName: string;
  role: string;
  inviterName: string | null;
  url: string;
  expiresAt: Date;
}

const ROLE: Record<Locale, Record<string, string>> = {
  sv: { org_admin: 'organisationsansvarig', employee: 'anställd', provider_staff: 'personal hos utbildningsanordnaren' },
  en: { org_admin: 'organisation admin', employee: 'employee', provider_staff: 'staff of the course provider' },
};

export function invitationMail(locale: Locale, data: InvitationMail): RenderedMail {
  const role = ROLE[locale][data.role] ?? data.role;
  const until = formatDate(data.expiresAt, locale);
  if (locale === 'en') {
    return renderMail(locale, {
      subject: `You are invited to ${data.targetName} on Kompetenslyft`,
      greeting: 'Hello,',
      paragraphs: [
        `${data.inviterName ?? 'Someone'} has invited you to ${data.targetName} on Kompetenslyft, as ${role}.`,
        data.kind === 'provider'
          ? 'In Kompetenslyft you publish courses, see who has booked and record attendance.'
          : 'In Kompetenslyft you find and book courses for your work, and tell us what you need to learn.',
        `Open the link to accept. It works once, until ${until}. If you already have an account, you only need to accept.`,
        'If you did not expect this invitation, you can ignore this email.',
      ],
      action: { label: 'Accept the invitation', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: `Du är inbjuden till ${data.targetName} i Kompetenslyft`,
    greeting: 'Hej!',
    paragraphs: [
      `${data.inviterName ?? 'Någon'} har bjudit in dig till ${data.targetName} i Kompetenslyft, som ${role}.`,
      data.kind === 'provider'
        ? 'I Kompetenslyft lägger du upp kurser, ser vem som har bokat och registrerar närvaro.'
        : 'I Kompetenslyft hittar och bokar du kurser för ditt arbete och berättar vad du behöver lära dig.',
      `Öppna länken för att tacka ja. Den fungerar en gång, till och med ${until}. Om du redan har ett konto behöver du bara tacka ja.`,
      'Om du inte väntade dig den här inbjudan kan du strunta i mejlet.',
    ],
    action: { label: 'Tacka ja till inbjudan', url: data.url },
    footer: FOOTER.sv,
  });
}
