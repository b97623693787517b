import { isQuiet, nextSendTime } from './quiet-hours.js';

const NIGHT = { start: 21, end: 8 };

describe('quiet hours (Europe/Stockholm)', () => {
  it('sends at once outside the quiet hours and when they are off', () => {
    const noon = new Date('2026-11-26T11:00:00Z'); // 12:00 CET
    expect(nextSendTime(noon, NIGHT)).toEqual(noon);
    expect(nextSendTime(new Date('2026-11-26T22:00:00Z'), null)).toEqual(new Date('2026-11-26T22:00:00Z'));
    expect(isQuiet(noon, NIGHT)).toBe(false);
  });

  it('waits until 08:00 the next morning from the evening, and until 08:00 the same day after midnight', () => {
    expect(nextSendTime(new Date('2026-11-26T20:00:00Z'), NIGHT).toISOString()).toBe('2026-11-27T07:00:00.000Z'); // 21:00 CET
    expect(nextSendTime(new Date('2026-11-27T02:00:00Z'), NIGHT).toISOString()).toBe('2026-11-27T07:00:00.000Z'); // 03:00 CET
    expect(nextSendTime(new Date('2026-11-27T06:59:59Z'), NIGHT).toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(nextSendTime(new Date('2026-11-27T07:00:00Z'), NIGHT).toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(isQuiet(new Date('2026-11-27T02:00:00Z'), NIGHT)).toBe(true);
  });

  it('ends at 08:00 local time across the spring change (the night is an hour shorter)', () => {
    // Saturday 28 March 2026 22:00 CET → Sunday 29 March 08:00 CEST = 06:00 UTC.
    expect(nextSendTime(new Date('2026-03-28T21:00:00Z'), NIGHT).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    // 01:30 CET on the Sunday, before the change.
    expect(nextSendTime(new Date('2026-03-29T00:30:00Z'), NIGHT).toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('ends at 08:00 local time across the autumn change (the night is an hour longer)', () => {
    // Saturday 24 October 2026 22:00 CEST → Sunday 25 October 08:00 CET = 07:00 UTC.
    expect(nextSendTime(new Date('2026-10-24T20:00:00Z'), NIGHT).toISOString()).toBe('2026-10-25T07:00:00.000Z');
    // The repeated hour 02:00–03:00 is quiet both times.
    expect(isQuiet(new Date('2026-10-25T00:30:00Z'), NIGHT)).toBe(true);
    expect(isQuiet(new Date('2026-10-25T01:30:00Z'), NIGHT)).toBe(true);
  });

  it('handles quiet hours within one day', () => {
    const lunch = { start: 12, end: 13 };
    expect(nextSendTime(new Date('2026-07-01T10:15:00Z'), lunch).toISOString()).toBe('2026-07-01T11:00:00.000Z'); // 12:15 CEST
    expect(isQuiet(new Date('2026-07-01T11:00:00Z'), lunch)).toBe(false);
  });
});

describe('nextSendTime for scheduled reminders (21–08)', () => {
  const quiet = { start: 21, end: 8 };

  it('keeps a daytime instant', () => {
    const noon = new Date('2027-03-10T11:00:00Z'); // 12:00 in Stockholm (CET)
    expect(nextSendTime(noon, quiet)).toEqual(noon);
  });

  it('moves a late-evening instant to 08:00 Stockholm time the next morning', () => {
    expect(nextSendTime(new Date('2027-03-10T21:30:00Z'), quiet).toISOString()).toBe('2027-03-11T07:00:00.000Z');
  });

  it('uses summer time', () => {
    expect(nextSendTime(new Date('2027-06-10T02:10:00Z'), quiet).toISOString()).toBe('2027-06-10T06:00:00.000Z');
  });

  it('sends at once without quiet hours', () => {
    const late = new Date('2027-03-10T22:00:00Z');
    expect(nextSendTime(late, null)).toEqual(late);
  });
});
