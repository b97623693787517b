import { WEBHOOK_EVENT_TYPES } from '../webhook-endpoint.entity.js';
import { WEBHOOK_TEXTS } from './texts.js';

describe('the webhook pages\' texts', () => {
  it('name every event type in both languages, and nothing else', () => {
    for (const lang of ['sv', 'en'] as const) {
      expect([lang, Object.keys(WEBHOOK_TEXTS[lang].eventNames).sort()]).toEqual([lang, [...WEBHOOK_EVENT_TYPES].sort()]);
    }
  });

  it('have the same keys in Swedish and English, with a lead for every kind of owner', () => {
    expect(Object.keys(WEBHOOK_TEXTS.en).sort()).toEqual(Object.keys(WEBHOOK_TEXTS.sv).sort());
    for (const lang of ['sv', 'en'] as const) expect(Object.keys(WEBHOOK_TEXTS[lang].leads).sort()).toEqual(['organisation', 'programme', 'provider']);
  });
});
