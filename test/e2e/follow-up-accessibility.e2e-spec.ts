import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { axe, CHROMIUM } from '../support/browser.js';
import { useTestContext } from '../support/context.js';
import { givenUser, type GivenUser } from '../support/factories.js';
import { givenInvitedCourse } from '../support/follow-up-factories.js';

describe('follow-up: the answer page passes an automated accessibility check (axe-core in headless Chromium)', () => {
  const t = useTestContext({ smtp: true });
  let coordinator: GivenUser;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) to run the accessibility check`);
    }
    coordinator = await givenUser(t, { coordinator: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-chromium-'));
    // A fresh profile per run (playwright passes it to Chromium as --user-data-dir).
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 360, height: 740 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it('has no WCAG 2.0/2.1 A or AA violations: the form, the form with errors, English, opt-out, thanks and the 404 page; and works by keyboard', async () => {
    const { invited } = await givenInvitedCourse(t, coordinator, 2);
    const page = await context.newPage();
    const url = `${t.app.baseUrl}/survey/${invited[0].token}`;

    await page.goto(url);
    expect({ page: 'form', violations: await axe(page) }).toEqual({ page: 'form', violations: [] });
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.click('button[type=submit]');
    await page.waitForSelector('#error-summary');
    expect({ page: 'form with errors', violations: await axe(page) }).toEqual({ page: 'form with errors', violations: [] });
    expect(await page.getAttribute('#q-satisfaction', 'aria-describedby')).toBe('q-satisfaction-error');

    await page.goto(`${url}?lang=en`);
    expect({ page: 'form in English', violations: await axe(page) }).toEqual({ page: 'form in English', violations: [] });

    await page.goto(`${url}/opt-out`);
    expect({ page: 'opt-out', violations: await axe(page) }).toEqual({ page: 'opt-out', violations: [] });

    // Keyboard only: choose radios with Space, type in the text area, submit with Enter (back in Swedish: the English choice is remembered).
    await page.goto(`${url}?lang=sv`);
    for (const key of ['satisfaction', 'relevance', 'leader']) {
      await page.focus(`#q-${key}-3`);
      await page.keyboard.press('Space');
    }
    await page.focus('#q-comments');
    await page.keyboard.type('Bra med tydliga exempel.');
    await page.focus('main button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Tack för dina svar!');
    expect({ page: 'thanks', violations: await axe(page) }).toEqual({ page: 'thanks', violations: [] });
    const [stored] = await t.db.query<{ answers: Record<string, unknown> }>('SELECT answers FROM evaluation_responses');
    expect(stored.answers).toEqual({ satisfaction: 4, relevance: 4, leader: 4, comments: 'Bra med tydliga exempel.' });

    await page.goto(`${t.app.baseUrl}/survey/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`);
    expect({ page: '404', violations: await axe(page) }).toEqual({ page: '404', violations: [] });
  });
});
