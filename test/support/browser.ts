import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from './app.js';

/**
 * Browser helpers for the web front end's tests (see docs/web.md): Debian's Chromium driven by
 * playwright-core, axe-core's WCAG 2.0/2.1 A and AA rules, html-validate, and form posts with the
 * CSRF token for supertest.
 */
export const CHROMIUM = '/usr/bin/chromium';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const validator = new HtmlValidate({
  extends: ['html-validate:standard'],
  rules: {
    // GOV.UK Frontend's markup: attribute order and boolean style are its own.
    'attribute-boolean-style': 'off',
    'no-redundant-role': 'off',
  },
});

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium profile (a phone-sized window by default); `javaScript: false` for the no-script runs. */
export async function launchBrowser(options: { javaScript?: boolean; width?: number } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 390, height: 844 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The page's problems: axe-core's WCAG 2.0/2.1 A and AA violations, html-validate's errors, and
 * sideways scrolling at the window's width. Empty when the page is fine. Needs a browser with
 * JavaScript on (axe-core runs in the page); the no-script runs check the journeys themselves.
 */
export async function pageProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  const html = await page.content();
  const report = await validator.validateString(html);
  for (const result of report.results) for (const m of result.messages) problems.push(`html-validate ${m.ruleId}: ${m.message} (line ${m.line})`);
  const width = page.viewportSize()?.width ?? 390;
  const scrollWidth = await page.evaluate('document.documentElement.scrollWidth') as number;
  if (scrollWidth > width) {
    const culprits = (await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > ${width} + 1).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')).slice(-3)`)) as string[];
    problems.push(`scrolls sideways: ${scrollWidth}px wide in a ${width}px window (${culprits.join(', ')})`);
  }
  problems.push(...(await axe(page)));
  return problems;
}

/** axe-core's WCAG 2.0/2.1 A and AA violations in the page, readable in a failure message ('axe-core ran no rules' if it checked nothing). */
export async function axe(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const { violations, passes } = (await page.evaluate(
    (tags) =>
      (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe
        .run({ runOnly: { type: 'tag', values: tags } })
        .then((r) => ({ violations: r.violations, passes: r.passes.length })),
    WCAG_TAGS,
  )) as { violations: AxeViolation[]; passes: number };
  if (passes === 0) return ['axe-core ran no rules'];
  return violations.map((v) => `axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Expect-friendly: `expect(await checked(page, 'name')).toEqual({ page: 'name', problems: [] })`. */
export async function checked(page: Page, name: string): Promise<{ page: string; problems: string[] }> {
  return { page: name, problems: await pageProblems(page) };
}

/** Signs the browser in with a password on the sign-in page. */
export async function signInWithPassword(page: Page, app: TestApp, email: string, password: string, next?: string): Promise<void> {
  await page.goto(`${app.baseUrl}/logga-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/logga-in')), page.click('form[action="/logga-in"] button')]);
}

/**
 * A browser-like client for pages without a browser (supertest): keeps cookies, reads the CSRF
 * token from the last page, and posts forms with it.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly app: TestApp) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: { headers: Record<string, unknown>; text?: string }): void {
    const set = res.headers['set-cookie'];
    for (const line of (Array.isArray(set) ? set : set ? [set] : []) as string[]) {
      const [pair] = line.split(';');
      const [name, ...value] = pair.split('=');
      if (/Expires=Thu, 01 Jan 1970/i.test(line) || value.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (token) this.csrf = token[1];
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async get(url: string) {
    const res = await this.app.http.get(url).set('Cookie', this.cookieHeader()).set('Accept', 'text/html');
    this.remember(res);
    return res;
  }

  /** Posts a form with this session's CSRF token (unless `csrf: false`, or another token given in the body). */
  async post(url: string, body: Record<string, string | string[]> = {}, options: { csrf?: boolean } = {}) {
    const form = new URLSearchParams();
    const withToken = options.csrf === false ? body : { _csrf: this.csrf, ...body };
    for (const [key, value] of Object.entries(withToken)) for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
    const res = await this.app.http.post(url).set('Cookie', this.cookieHeader()).set('Accept', 'text/html').type('form').send(form.toString());
    this.remember(res);
    return res;
  }

  /** Posts an already encoded form body (e.g. from fillForm, which carries the hidden CSRF field). */
  async postEncoded(url: string, body: string) {
    const res = await this.app.http.post(url).set('Cookie', this.cookieHeader()).set('Accept', 'text/html').type('form').send(body);
    this.remember(res);
    return res;
  }

  /** Signs in with a password through the sign-in page. */
  async signIn(email: string, password: string): Promise<void> {
    await this.get('/logga-in');
    const res = await this.post('/logga-in', { email, password, next: '/' });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
    await this.get('/');
  }
}

/**
 * Two browsers for a test file, JavaScript on and off, each test starting without cookies.
 * Call it before `useTestContext()`, so that the browsers close before the app.
 */
export function useBrowsers(): { js: Browser; noScript: Browser } {
  const browsers = {} as { js: Browser; noScript: Browser };
  beforeAll(async () => {
    browsers.js = await launchBrowser();
    browsers.noScript = await launchBrowser({ javaScript: false });
  });
  afterAll(async () => {
    await browsers.js?.close();
    await browsers.noScript?.close();
  });
  beforeEach(async () => {
    await browsers.js.context.clearCookies();
    await browsers.noScript.context.clearCookies();
  });
  return browsers;
}
