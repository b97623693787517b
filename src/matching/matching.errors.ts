export enum MatchingErrorCode {
  /** The statement is neither the caller's own nor of an organisation the caller administers. */
  STATEMENT_ACCESS_DENIED = 'MATCHING_STATEMENT_ACCESS_DENIED',
}
