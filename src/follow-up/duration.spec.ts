import { fromStockholm } from '../common/dates.js';
import { addDuration, parseDuration } from './duration.js';

describe('ISO 8601 durations', () => {
  it.each([
    ['P1D', { days: 1 }],
    ['P90D', { days: 90 }],
    ['PT5S', { seconds: 5 }],
    ['PT1.5S', { seconds: 1.5 }],
    ['P3M', { months: 3 }],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
    ['P2W', { weeks: 2 }],
    ['PT36H', { hours: 36 }],
    ['pt10m', { minutes: 10 }],
  ])('parses %s', (text, parts) => {
    expect(parseDuration(text)).toEqual({ years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, ...parts });
  });

  it.each(['', 'P', 'PT', '1D', 'P1', 'P1DT', 'P-1D', 'P1.5D', 'PT1H2', 'P1S', 'P1D2H', 'soon', 'P1M1Y'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('adds seconds, minutes and hours as elapsed time', () => {
    const at = new Date('2026-11-26T10:00:00.250Z');
    expect(addDuration(at, 'PT5S').toISOString()).toBe('2026-11-26T10:00:05.250Z');
    expect(addDuration(at, 'PT1H30M').toISOString()).toBe('2026-11-26T11:30:00.250Z');
  });

  it('adds days on the Stockholm calendar, keeping the wall-clock time across DST changes', () => {
    // Saturday 28 March 2026 10:00 CET; the clocks go forward on Sunday 29 March.
    expect(addDuration(new Date('2026-03-28T09:00:00Z'), 'P1D').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    // Saturday 24 October 2026 10:00 CEST; the clocks go back on Sunday 25 October.
    expect(addDuration(new Date('2026-10-24T08:00:00Z'), 'P1D').toISOString()).toBe('2026-10-25T09:00:00.000Z');
    // PT24H is exactly 24 hours, whatever the wall clock says.
    expect(addDuration(new Date('2026-03-28T09:00:00Z'), 'PT24H').toISOString()).toBe('2026-03-29T09:00:00.000Z');
  });

  it('adds months and years, clamping to the end of a shorter month', () => {
    expect(addDuration(new Date('2026-01-31T11:00:00Z'), 'P1M').toISOString()).toBe('2026-02-28T11:00:00.000Z');
    expect(addDuration(new Date('2026-11-26T11:00:00Z'), 'P3M').toISOString()).toBe('2027-02-26T11:00:00.000Z');
    expect(addDuration(new Date('2028-02-29T11:00:00Z'), 'P1Y').toISOString()).toBe('2029-02-28T11:00:00.000Z');
    expect(addDuration(new Date('2026-12-20T11:00:00Z'), 'P2W').toISOString()).toBe('2027-01-03T11:00:00.000Z');
  });

  it('reads Stockholm wall-clock times, moving a skipped time forward and taking the first of a repeated one', () => {
    expect(fromStockholm(2026, 1, 15, 8).toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(fromStockholm(2026, 7, 15, 8).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    expect(fromStockholm(2026, 3, 29, 2, 30).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    expect(fromStockholm(2026, 10, 25, 2, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // first 02:30 (CEST)
  });
});
