import { luhnCheckDigit, parseOrgNumber } from './org-number.js';

describe('parseOrgNumber', () => {
  it.each([
    ['212000-0142', '212000-0142'],
    ['2120000142', '212000-0142'],
    ['16212000-0142', '212000-0142'],
    ['162120000142', '212000-0142'],
    [' 202100-5224 ', '202100-5224'],
    ['5560360793', '556036-0793'],
    ['16556036-0793', '556036-0793'],
  ])('accepts %s as %s', (input, expected) => {
    expect(parseOrgNumber(input)).toEqual({ value: expected });
  });

  it.each([
    ['212000-0143', 'check_digit'],
    ['556036-0794', 'check_digit'],
    ['21200-0142', 'format'],
    ['212000-01420', 'format'],
    ['2120000', 'format'],
    ['55603607931', 'format'],
    ['192120000142', 'format'],
    ['21200A-0142', 'format'],
    ['abcdef-ghij', 'format'],
    ['', 'format'],
    ['212000--0142', 'format'],
    ['811218-9876', 'third_digit'],
    ['191212-1212', 'third_digit'],
  ])('rejects %s (%s)', (input, problem) => {
    expect(parseOrgNumber(input)).toEqual({ problem });
  });

  it('computes the Luhn digit with weights 2,1,2,… from the left', () => {
    expect(luhnCheckDigit('212000014')).toBe(2);
    expect(luhnCheckDigit('202100522')).toBe(4);
    expect(luhnCheckDigit('556036079')).toBe(3);
  });
});
