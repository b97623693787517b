import { useBrowsers, type Browser } from './browser.js';
import { givenProvider } from './bookings-factories.js';
import { useTestContext, type TestContext } from './context.js';
import { givenUser, type GivenUser } from './factories.js';

const DAY = 24 * 3600_000;

/** A Stockholm calendar date some days ahead (YYYY-MM-DD), as the session forms take it. */
export function dayAhead(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() + days * DAY));
}

/**
 * The frame of the provider staff's browser tests (test/e2e/web-provider*.ts): the two browsers,
 * the app with an SMTP sink (and `env`), the app's clock reset after each test, and `staffOf(name)`:
 * a person (registered through the API) who works for a provider of their own.
 */
export function useProviderPages(options: { env?: Record<string, string> } = {}): {
  browsers: { js: Browser; noScript: Browser };
  t: TestContext;
  staffOf(name?: string): Promise<GivenUser & { providerId: string }>;
} {
  const browsers = useBrowsers();
  const t = useTestContext({ smtp: true, env: options.env });
  afterEach(() => t.app.clock.reset());
  async function staffOf(name = 'Stina Staff') {
    const person = await givenUser(t, { name });
    const providerId = await givenProvider(t.db, [person.id]);
    return { ...person, providerId };
  }
  return { browsers, t, staffOf };
}
