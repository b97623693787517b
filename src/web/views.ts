import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { Lang } from './texts.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** `src/` under the tests, `dist/` when built: templates live beside the code (build-assets copies them). */
export const TEMPLATE_ROOT = path.resolve(HERE, '..');
/** The compiled stylesheet and its manifest (written by `npm run build`, scripts/build-assets.mjs). */
export const PUBLIC_DIR = path.resolve(HERE, '..', '..', 'dist', 'web', 'public');
/** Where the stylesheet is served: names carry a content hash, so answers are cached for a year. */
export const ASSET_PREFIX = '/assets/';
const GOVUK_ROOT = path.join(path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist');

const ZONE = 'Europe/Stockholm';
const LOCALES: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

function formatter(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: ZONE, ...options });
}

const FORMATS = Object.fromEntries(
  (['sv', 'en'] as Lang[]).map((lang) => [
    lang,
    {
      date: formatter(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      shortDate: formatter(lang, { day: 'numeric', month: 'short', year: 'numeric' }),
      time: formatter(lang, { hour: '2-digit', minute: '2-digit' }),
      dateTime: formatter(lang, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
    },
  ]),
) as Record<Lang, Record<'date' | 'shortDate' | 'time' | 'dateTime', Intl.DateTimeFormat>>;

/** Formats an instant in Stockholm time in the page's language. */
export function formatInstant(value: string | Date | null | undefined, lang: Lang, kind: 'date' | 'shortDate' | 'time' | 'dateTime'): string {
  if (value === null || value === undefined || value === '') return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return FORMATS[lang][kind].format(date);
}

/** `{name}` placeholders filled from values. */
export function fill(text: string, values: Record<string, unknown> = {}): string {
  return String(text).replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/**
 * The view engine: Nunjucks with autoescaping (every value is escaped unless a template marks it
 * safe), templates found from `src/` (e.g. `bookings/pages/booking.njk`, `web/templates/layout.njk`)
 * and GOV.UK Frontend's macros (`govuk/components/…/macro.njk`), compiled once and cached.
 */
export class Views {
  private readonly env: nunjucks.Environment;
  readonly stylesheet: string;

  constructor() {
    this.env = new nunjucks.Environment(new nunjucks.FileSystemLoader([TEMPLATE_ROOT, GOVUK_ROOT], { noCache: false }), {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
    });
    this.env.addFilter('date', (value: string, lang: Lang) => formatInstant(value, lang, 'date'));
    this.env.addFilter('shortDate', (value: string, lang: Lang) => formatInstant(value, lang, 'shortDate'));
    this.env.addFilter('time', (value: string, lang: Lang) => formatInstant(value, lang, 'time'));
    this.env.addFilter('dateTime', (value: string, lang: Lang) => formatInstant(value, lang, 'dateTime'));
    this.env.addFilter('fill', (text: string, values: Record<string, unknown>) => fill(text, values));
    this.stylesheet = ASSET_PREFIX + Views.manifest().css;
  }

  render(template: string, context: Record<string, unknown>): string {
    return this.env.render(template, context);
  }

  /** The built assets' names; a clear error when `npm run build` has not run. */
  static manifest(): { css: string } {
    const file = path.join(PUBLIC_DIR, 'manifest.json');
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" (it compiles the web front end's stylesheet)`);
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { css: string };
  }
}
