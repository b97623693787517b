export type Locale = 'sv' | 'en';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface MailContent {
  subject: string;
  greeting: string;
  /** Paragraphs of plain text. */
  paragraphs: string[];
  action?: { label: string; url: string };
  footer: string;
}

/** One plain, accessible layout for every email: a text part and a simple HTML part with the same words. */
export function renderMail(locale: Locale, content: MailContent): RenderedMail {
  const text = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    '-- ',
    content.footer,
  ].join('\n');
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(content.subject)}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 40em; margin: 0 auto; padding: 1em;">
<p>${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${
  content.action
    ? `<p><a href="${escapeHtml(content.action.url)}" style="display: inline-block; padding: 0.6em 1.2em; background: #0b5394; color: #ffffff; text-decoration: underline;">${escapeHtml(content.action.label)}</a></p>
<p style="font-size: 14px;">${escapeHtml(content.action.url)}</p>`
    : ''
}
<hr><p style="font-size: 14px; color: #444;">${escapeHtml(content.footer)}</p>
</body>
</html>`;
  return { subject: content.subject, text, html };
}

export const FOOTER: Record<Locale, string> = {
  sv: 'Kompetenslyft – kompetensutveckling för den sociala ekonomin i Östra Mellansverige. Du får det här mejlet för att någon använde din e-postadress hos oss.',
  en: 'Kompetenslyft – competence development for the social economy in East Central Sweden. You receive this email because your address was used with us.',
};
