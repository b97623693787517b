import { afterQuietHours } from './quiet-hours.js';

describe('afterQuietHours', () => {
  const quiet = { start: 21, end: 8 };

  it('keeps a daytime instant', () => {
    const noon = new Date('2027-03-10T11:00:00Z'); // 12:00 in Stockholm (CET)
    expect(afterQuietHours(noon, quiet)).toEqual(noon);
  });

  it('moves a late-evening instant to 08:00 Stockholm time the next morning', () => {
    expect(afterQuietHours(new Date('2027-03-10T21:30:00Z'), quiet).toISOString()).toBe('2027-03-11T07:00:00.000Z');
  });

  it('uses summer time', () => {
    expect(afterQuietHours(new Date('2027-06-10T02:10:00Z'), quiet).toISOString()).toBe('2027-06-10T06:00:00.000Z');
  });

  it('sends at once without quiet hours', () => {
    const late = new Date('2027-03-10T22:00:00Z');
    expect(afterQuietHours(late, null)).toEqual(late);
  });
});
