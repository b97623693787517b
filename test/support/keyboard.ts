import type { Page } from 'playwright-core';

/** The focused element as the keyboard tests see it. */
export interface Focused {
  tag: string;
  /** Its text (a link's or a button's words, with any visually hidden part), spaces collapsed. */
  text: string;
  name: string;
  value: string;
  type: string;
  id: string;
  /** A link's address as written (empty for other elements). */
  href: string;
}

const FOCUSED = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  return {
    tag: e.tagName,
    text: (e.textContent || '').replace(/\\s+/g, ' ').trim(),
    name: e.getAttribute('name') || '',
    value: e.value === undefined ? '' : String(e.value),
    type: e.getAttribute('type') || '',
    id: e.id || '',
    href: e.getAttribute('href') || '',
  };
})()`;

/**
 * The focus style on the focused element, or for a GOV.UK checkbox or radio (drawn by its label)
 * on the label's box: GOV.UK Frontend's focus colour (#ffdd00) as background, outline or shadow.
 */
const FOCUS_STYLE = `(() => {
  const e = document.activeElement;
  const drawn = e.type === 'checkbox' || e.type === 'radio';
  const s = drawn ? getComputedStyle(e.nextElementSibling, '::before') : getComputedStyle(e);
  return [s.backgroundColor, s.outlineStyle + ' ' + s.outlineColor, s.boxShadow, s.borderColor].join(' | ');
})()`;

/**
 * Presses Tab (only) until the focused element matches, then expects a visible focus on it
 * (GOV.UK's yellow focus colour in its style). Throws when the control is never reached.
 */
export async function tabTo(page: Page, matches: (el: Focused) => boolean, limit = 120): Promise<Focused> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const el = (await page.evaluate(FOCUSED)) as Focused | null;
    if (el && matches(el)) {
      const style = (await page.evaluate(FOCUS_STYLE)) as string;
      const what = el.name ? `${el.tag} ${el.name}=${el.value}` : `${el.tag} ${el.text}`;
      expect([what, style.includes('rgb(255, 221, 0)') ? 'focus visible' : style]).toEqual([what, 'focus visible']);
      return el;
    }
  }
  throw new Error(`never reached the control by Tab on ${page.url()}`);
}

/**
 * Presses a key (Enter on a link or button) and waits for what it leads to: a page whose address
 * matches, or (after a form that comes back to the same page) a selector on the new page.
 */
export async function pressFor(page: Page, key: 'Enter' | 'Space', until: string | ((url: URL) => boolean)): Promise<void> {
  await Promise.all([typeof until === 'string' ? page.waitForSelector(until) : page.waitForURL(until), page.keyboard.press(key)]);
}

/** Tabs to a text field (by name) and types into it, replacing what was there. */
export async function typeInto(page: Page, name: string, text: string): Promise<void> {
  await tabTo(page, (el) => el.name === name);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}
