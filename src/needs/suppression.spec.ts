import { suppress, suppressRow } from './suppression.js';

describe('suppression of small cells', () => {
  it('shows cells under 5 as "<5", 5 and more exactly', () => {
    expect([0, 1, 4, 5, 17].map(suppress)).toEqual(['<5', '<5', '<5', 5, 17]);
  });

  it('leaves a row with two or more small cells as it is after primary suppression', () => {
    expect(suppressRow({ women: 12, men: 3, otherGender: 0, unspecified: 9 })).toEqual({
      women: 12,
      men: '<5',
      otherGender: '<5',
      unspecified: 9,
    });
  });

  it('hides the smallest other cell when exactly one is small, so the total cannot give it away', () => {
    expect(suppressRow({ women: 10, men: 8, otherGender: 2, unspecified: 6 })).toEqual({
      women: 10,
      men: 8,
      otherGender: '<5',
      unspecified: 'x',
    });
  });

  it('shows a row without small cells exactly', () => {
    expect(suppressRow({ women: 10, men: 8, otherGender: 5, unspecified: 6 })).toEqual({ women: 10, men: 8, otherGender: 5, unspecified: 6 });
  });
});
