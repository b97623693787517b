export enum NeedsErrorCode {
  ROUND_NOT_FOUND = 'NEEDS_ROUND_NOT_FOUND',
  ROUND_ACCESS_DENIED = 'NEEDS_ROUND_ACCESS_DENIED',
  /** The round is not in the state the action needs (e.g. opening an open round, statements in a draft or closed round). */
  ROUND_NOT_OPEN = 'NEEDS_ROUND_NOT_OPEN',
  ROUND_WRONG_STATE = 'NEEDS_ROUND_WRONG_STATE',
  /** The round is open but now is before opensAt or after closesAt. */
  ROUND_OUTSIDE_DATES = 'NEEDS_ROUND_OUTSIDE_DATES',
  ROUND_CLOSES_IN_PAST = 'NEEDS_ROUND_CLOSES_IN_PAST',
  INVITE_LOCKED = 'NEEDS_ROUND_INVITE_LOCKED',
  /** A round made without `invite` invites nobody until the coordinator chooses; it cannot open before. */
  NOBODY_INVITED = 'NEEDS_ROUND_NOBODY_INVITED',
  ORGANISATION_NOT_INVITED = 'NEEDS_ORGANISATION_NOT_INVITED',
  STATEMENT_NOT_FOUND = 'NEEDS_STATEMENT_NOT_FOUND',
  STATEMENT_ACCESS_DENIED = 'NEEDS_STATEMENT_ACCESS_DENIED',
  ASSESSMENT_NOT_FOUND = 'NEEDS_ASSESSMENT_NOT_FOUND',
}
