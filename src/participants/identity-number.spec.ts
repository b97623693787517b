import { luhnCheckDigit } from '../organisations/org-number.js';
import { maskIdentityNumber, parseIdentityNumber } from './identity-number.js';

const TODAY = new Date('2026-12-03T00:00:00Z');

/** A valid number from its first nine digits (YYMMDDNNN) */
const withCheck = (nine: string) => `${nine}${luhnCheckDigit(nine)}`;

describe('parseIdentityNumber', () => {
  it('accepts the 10- and 12-digit forms and normalises them to 12 digits', () => {
    const ten = withCheck('850709238'); // 850709-2388? computed
    expect(parseIdentityNumber(`${ten.slice(0, 6)}-${ten.slice(6)}`, TODAY)).toEqual({ value: `19${ten}`, coordination: false });
    expect(parseIdentityNumber(ten, TODAY)).toEqual({ value: `19${ten}`, coordination: false });
    expect(parseIdentityNumber(`19${ten}`, TODAY)).toEqual({ value: `19${ten}`, coordination: false });
    expect(parseIdentityNumber(`19${ten.slice(0, 6)}-${ten.slice(6)}`, TODAY)).toEqual({ value: `19${ten}`, coordination: false });
    expect(parseIdentityNumber(` 19${ten} `, TODAY)).toEqual({ value: `19${ten}`, coordination: false });
  });

  it('takes the century from today: the latest year not in the future, or a hundred years before with +', () => {
    const young = withCheck('100101123');
    expect(parseIdentityNumber(young, TODAY)).toEqual({ value: `20${young}`, coordination: false });
    expect(parseIdentityNumber(`${young.slice(0, 6)}+${young.slice(6)}`, TODAY)).toEqual({ value: `19${young}`, coordination: false });
    // born later in the year than today, two-digit year of this year: a century earlier
    const late = withCheck('261224123');
    expect(parseIdentityNumber(late, TODAY)).toEqual({ problem: 'date' });
    expect(parseIdentityNumber(`19${late}`, TODAY)).toEqual({ value: `19${late}`, coordination: false });
  });

  it('accepts a samordningsnummer (day + 60)', () => {
    const coordination = withCheck('900170123');
    expect(parseIdentityNumber(coordination, TODAY)).toEqual({ value: `19${coordination}`, coordination: true });
  });

  it.each([
    ['', 'format'],
    ['85070923', 'format'],
    ['19850709-23881', 'format'],
    ['850709–2388', 'format'],
    ['abcdefghij', 'format'],
    [`19${withCheck('850709238').slice(0, 6)}+${withCheck('850709238').slice(6)}`, 'format'],
    [withCheck('851309123'), 'date'],
    [withCheck('850230123'), 'date'],
    [withCheck('850100123'), 'date'],
    [withCheck('900192123'), 'date'],
    [`20${withCheck('300101123')}`, 'date'],
    [`18${withCheck('800101123')}`, 'date'],
  ])('refuses %j: %s', (input, problem) => {
    expect(parseIdentityNumber(input, TODAY)).toEqual({ problem });
  });

  it('refuses every wrong check digit', () => {
    const nine = '850709238';
    const right = luhnCheckDigit(nine);
    for (let digit = 0; digit <= 9; digit++) {
      if (digit === right) continue;
      expect(parseIdentityNumber(`${nine}${digit}`, TODAY)).toEqual({ problem: 'check_digit' });
    }
  });

  it('masks all but the year and month of birth', () => {
    expect(maskIdentityNumber('198507092388')).toBe('1985-07-**-****');
  });
});
