import type { FastifyReply } from 'fastify';
import { escapeHtml } from '../mail/templates/layout.js';

export { escapeHtml };

/**
 * The shell of every server-rendered page (people arriving from an email link): plain HTML that
 * works without JavaScript, readable on a phone, visible focus, WCAG 2.1 AA contrast.
 */
export function renderPage(options: { lang: 'sv' | 'en'; title: string; body: string }): string {
  return `<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} – Kompetenslyft</title>
<style>
  body { font-family: Arial, Helvetica, sans-serif; font-size: 1.125rem; line-height: 1.5; color: #1a1a1a; background: #fff; max-width: 40rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.6rem; }
  label, legend { display: block; font-weight: bold; margin-top: 1rem; }
  input[type=text], input[type=email], input[type=password], input[type=number], textarea { display: block; width: 100%; box-sizing: border-box; font-size: 1.125rem; padding: .5rem; border: 2px solid #595959; border-radius: 4px; }
  button { margin-top: 1.5rem; font-size: 1.125rem; padding: .6rem 1.4rem; background: #0b5394; color: #fff; border: 2px solid #0b5394; border-radius: 4px; cursor: pointer; }
  :focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
  .error { color: #a30000; font-weight: bold; }
  .notice { border-left: 6px solid #0b5394; padding: .5rem 1rem; background: #eef4fb; }
  .hint { color: #404040; }
</style>
</head>
<body>
<main>
${options.body}
</main>
</body>
</html>`;
}

/** Sends a rendered page: HTML, never cached (pages behind personal links). */
export function sendPage(res: FastifyReply, status: number, options: { lang: 'sv' | 'en'; title: string; body: string }): void {
  res.status(status).header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-store').send(renderPage(options));
}
