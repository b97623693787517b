import { formatDateTime } from '../../common/dates.js';
import { FOOTER, Locale, renderMail, RenderedMail } from './layout.js';

export interface NeedsRoundMail {
  roundTitle: string;
  organisationName: string;
  closesAt: Date;
  url: string;
}

/** To an invited organisation's admins when a needs-mapping round opens. */
export function needsRoundInvitationMail(locale: Locale, data: NeedsRoundMail): RenderedMail {
  const until = formatDateTime(data.closesAt, locale);
  if (locale === 'en') {
    return renderMail(locale, {
      subject: `Tell us what competence development ${data.organisationName} needs`,
      greeting: 'Hello,',
      paragraphs: [
        `${data.organisationName} is invited to take part in "${data.roundTitle}", a needs-mapping round in Kompetenslyft.`,
        'Tell us which themes your employees need to learn about, how many people, and in what form. It takes about 15 minutes. Your employees can also state their own needs.',
        `You can answer until ${until}.`,
      ],
      action: { label: 'Take part', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: `Berätta vilken kompetensutveckling ${data.organisationName} behöver`,
    greeting: 'Hej!',
    paragraphs: [
      `${data.organisationName} är inbjuden att delta i "${data.roundTitle}", en behovsinventering i Kompetenslyft.`,
      'Berätta vilka teman era anställda behöver lära sig mer om, hur många personer det gäller och i vilken form. Det tar ungefär 15 minuter. Era anställda kan också lämna sina egna behov.',
      `Ni kan svara till och med ${until}.`,
    ],
    action: { label: 'Delta i inventeringen', url: data.url },
    footer: FOOTER.sv,
  });
}

/** To the admins of an invited organisation that has not answered, a week before closing. */
export function needsRoundReminderMail(locale: Locale, data: NeedsRoundMail): RenderedMail {
  const until = formatDateTime(data.closesAt, locale);
  if (locale === 'en') {
    return renderMail(locale, {
      subject: `Reminder: "${data.roundTitle}" closes ${until}`,
      greeting: 'Hello,',
      paragraphs: [
        `We have not yet heard from ${data.organisationName} in "${data.roundTitle}".`,
        `The round closes ${until}. Your answer decides which courses the programme will offer.`,
      ],
      action: { label: 'Take part', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: `Påminnelse: "${data.roundTitle}" stänger ${until}`,
    greeting: 'Hej!',
    paragraphs: [
      `Vi har ännu inte fått svar från ${data.organisationName} i "${data.roundTitle}".`,
      `Inventeringen stänger ${until}. Ert svar avgör vilka utbildningar programmet kommer att erbjuda.`,
    ],
    action: { label: 'Delta i inventeringen', url: data.url },
    footer: FOOTER.sv,
  });
}
