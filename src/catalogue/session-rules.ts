import type { FieldError } from '../common/errors/app-error.js';

/** A session's times and place as they will be after a create or change. */
export interface SessionShape {
  startsAt: Date;
  endsAt: Date;
  municipalityCode: string | null;
  online: boolean;
  bookingOpensAt: Date | null;
  bookingClosesAt: Date;
  cancellationDeadline: Date | null;
}

/**
 * The rules a session must satisfy as a whole; each broken rule names its field. `startSet` is true
 * for a new session and for a change that moves its start: the start must then be in the future
 * (a session that has begun may still have its venue or capacity changed).
 */
export function sessionProblems(shape: SessionShape, now: Date, startSet: boolean): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, message: string) => problems.push({ field, messages: [message] });
  if (startSet && shape.startsAt <= now) add('startsAt', 'must be in the future');
  if (shape.endsAt <= shape.startsAt) add('endsAt', 'must be after startsAt');
  if (!shape.online && !shape.municipalityCode) add('municipalityCode', 'is required unless the session is online');
  if (shape.bookingClosesAt > shape.startsAt) add('bookingClosesAt', 'may not be after startsAt');
  if (shape.bookingOpensAt && shape.bookingOpensAt >= shape.bookingClosesAt) add('bookingOpensAt', 'must be before bookingClosesAt');
  if (shape.cancellationDeadline && shape.cancellationDeadline > shape.startsAt) add('cancellationDeadline', 'may not be after startsAt');
  return problems;
}
