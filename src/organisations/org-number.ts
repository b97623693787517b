/**
 * Swedish organisation numbers (organisationsnummer): 10 digits written NNNNNN-NNNN, or a 12-digit
 * form prefixed with 16. The third digit is 2 or higher (unlike a personnummer). The last digit is a
 * Luhn (mod 10) check over the first nine.
 */
export type OrgNumberProblem = 'format' | 'third_digit' | 'check_digit';

export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (product > 9) product -= 9;
    sum += product;
  }
  return (10 - (sum % 10)) % 10;
}

/** The normalised `NNNNNN-NNNN` form, or the reason the input is not an organisation number. */
export function parseOrgNumber(input: string): { value: string } | { problem: OrgNumberProblem } {
  const trimmed = input.trim();
  const match = /^(?:16)?(\d{6})-?(\d{4})$/.exec(trimmed);
  if (!match || (trimmed.replace('-', '').length === 12 && !trimmed.startsWith('16'))) return { problem: 'format' };
  const digits = match[1] + match[2];
  if (Number(digits[2]) < 2) return { problem: 'third_digit' };
  if (luhnCheckDigit(digits.slice(0, 9)) !== Number(digits[9])) return { problem: 'check_digit' };
  return { value: `${match[1]}-${match[2]}` };
}

export const ORG_NUMBER_MESSAGES: Record<OrgNumberProblem, string> = {
  format: 'must be 10 digits (NNNNNN-NNNN) or 12 digits starting with 16',
  third_digit: 'is not an organisation number: the third digit must be 2 or higher',
  check_digit: 'has a wrong check digit',
};
