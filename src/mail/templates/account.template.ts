import { FOOTER, Locale, renderMail, RenderedMail } from './layout.js';

export interface AccountLinkMail {
  name: string | null;
  url: string;
  validMinutes: number;
}

/** Confirms the address: a sign-in link (the magic-link page), so any completed sign-in by link verifies. */
export function verifyEmailMail(locale: Locale, data: AccountLinkMail): RenderedMail {
  if (locale === 'en') {
    return renderMail(locale, {
      subject: 'Confirm your email address for Kompetenslyft',
      greeting: data.name ? `Hello ${data.name},` : 'Hello,',
      paragraphs: [
        `Use the link below to confirm that this address is yours; it also signs you in. It works once and for ${data.validMinutes} minutes.`,
        'If you did not create an account, you can ignore this email.',
      ],
      action: { label: 'Confirm my address', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: 'Bekräfta din e-postadress till Kompetenslyft',
    greeting: data.name ? `Hej ${data.name}!` : 'Hej!',
    paragraphs: [
      `Använd länken nedan för att bekräfta att adressen är din; du loggas också in. Den fungerar en gång och i ${data.validMinutes} minuter.`,
      'Om du inte har skapat något konto kan du strunta i det här mejlet.',
    ],
    action: { label: 'Bekräfta min adress', url: data.url },
    footer: FOOTER.sv,
  });
}

export function passwordResetMail(locale: Locale, data: AccountLinkMail): RenderedMail {
  if (locale === 'en') {
    return renderMail(locale, {
      subject: 'Choose a new password for Kompetenslyft',
      greeting: data.name ? `Hello ${data.name},` : 'Hello,',
      paragraphs: [
        `Use the link below to choose a new password. It works once and for ${data.validMinutes} minutes. Choosing a new password signs you out everywhere.`,
        'If you did not ask for this, you can ignore this email: your password stays as it is.',
      ],
      action: { label: 'Choose a new password', url: data.url },
      footer: FOOTER.en,
    });
  }
  return renderMail(locale, {
    subject: 'Välj ett nytt lösenord till Kompetenslyft',
    greeting: data.name ? `Hej ${data.name}!` : 'Hej!',
    paragraphs: [
      `Använd länken nedan för att välja ett nytt lösenord. Den fungerar en gång och i ${data.validMinutes} minuter. När du byter lösenord loggas du ut överallt.`,
      'Om du inte har bett om det här kan du strunta i mejlet: ditt lösenord är kvar som förut.',
    ],
    action: { label: 'Välj nytt lösenord', url: data.url },
    footer: FOOTER.sv,
  });
}
