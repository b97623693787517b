import { sessionProblems, type SessionShape } from './session-rules.js';

const now = new Date('2027-01-01T00:00:00Z');
const base: SessionShape = {
  startsAt: new Date('2027-03-01T08:00:00Z'),
  endsAt: new Date('2027-03-01T15:00:00Z'),
  municipalityCode: '0380',
  online: false,
  bookingOpensAt: null,
  bookingClosesAt: new Date('2027-03-01T08:00:00Z'),
  cancellationDeadline: null,
};
const fields = (shape: Partial<SessionShape>, startSet = true) => sessionProblems({ ...base, ...shape }, now, startSet).map((p) => p.field);

describe('sessionProblems', () => {
  it('accepts a well-formed session, in a municipality or online', () => {
    expect(fields({})).toEqual([]);
    expect(fields({ municipalityCode: null, online: true })).toEqual([]);
  });
  it('names each broken rule', () => {
    expect(fields({ endsAt: base.startsAt })).toEqual(['endsAt']);
    expect(fields({ municipalityCode: null })).toEqual(['municipalityCode']);
    expect(fields({ bookingClosesAt: new Date('2027-03-01T08:00:01Z') })).toEqual(['bookingClosesAt']);
    expect(fields({ bookingOpensAt: base.bookingClosesAt })).toEqual(['bookingOpensAt']);
    expect(fields({ cancellationDeadline: new Date('2027-03-02T00:00:00Z') })).toEqual(['cancellationDeadline']);
  });
  it('refuses a start in the past (a new session, or a start moved), but lets a session that has begun change otherwise', () => {
    const past = { startsAt: new Date('2026-12-01T08:00:00Z'), endsAt: new Date('2026-12-01T10:00:00Z'), bookingClosesAt: new Date('2026-12-01T08:00:00Z') };
    expect(fields(past)).toEqual(['startsAt']);
    expect(fields(past, false)).toEqual([]);
  });
});
