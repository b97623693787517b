import { luhnCheckDigit } from '../organisations/org-number.js';

/**
 * Swedish identity numbers for the ESF participant file: a personnummer, or a samordningsnummer
 * (the day plus 60). Written with 10 digits (YYMMDD-NNNC, `+` instead of `-` from the year a person
 * turns 100) or 12 (YYYYMMDDNNNC, a hyphen allowed). C is a Luhn check digit over the 9 digits
 * before it. Normalised to 12 digits. Gender is never derived from it (DOMAIN: ask).
 */
export type IdentityNumberProblem = 'format' | 'date' | 'check_digit';

export const IDENTITY_NUMBER_MESSAGES: Record<IdentityNumberProblem, string> = {
  format: 'must be 10 digits (YYMMDD-NNNN) or 12 digits (YYYYMMDDNNNN)',
  date: 'does not start with a real date of birth (for a samordningsnummer, the day plus 60)',
  check_digit: 'has a wrong check digit',
};

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The 12-digit form, or why the input is not an identity number. `today` decides the century of a 10-digit number. */
export function parseIdentityNumber(input: string, today: Date): { value: string; coordination: boolean } | { problem: IdentityNumberProblem } {
  const trimmed = input.trim();
  const match = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/.exec(trimmed);
  if (!match) return { problem: 'format' };
  const [, century, yy, mm, dd, separator, serial, check] = match;
  if (century !== undefined && separator === '+') return { problem: 'format' };
  const thisYear = today.getUTCFullYear();
  let year: number;
  if (century !== undefined) {
    year = Number(century + yy);
  } else {
    // The latest year ending in YY that is not in the future; `+` means a hundred years earlier.
    year = thisYear - ((((thisYear % 100) - Number(yy)) % 100) + 100) % 100;
    if (separator === '+') year -= 100;
  }
  const rawDay = Number(dd);
  const coordination = rawDay > 60;
  const day = coordination ? rawDay - 60 : rawDay;
  if (!realDate(year, Number(mm), day) || Date.UTC(year, Number(mm) - 1, day) > today.getTime() || year < thisYear - 130) return { problem: 'date' };
  const nine = `${yy}${mm}${dd}${serial}`;
  if (luhnCheckDigit(nine) !== Number(check)) return { problem: 'check_digit' };
  return { value: `${year}${mm}${dd}${serial}${check}`, coordination };
}

/** What answers show: the birth date's year and month, the rest hidden (`1985-05-**-****`). */
export function maskIdentityNumber(twelveDigits: string): string {
  return `${twelveDigits.slice(0, 4)}-${twelveDigits.slice(4, 6)}-**-****`;
}
