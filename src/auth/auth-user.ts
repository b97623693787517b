export type GlobalRole = 'coordinator';
export type Locale = 'sv' | 'en';

/**
 * On @AccountReadByHandler() routes the guard puts only this on `request.user`: the subject of a
 * valid token, whose account the handler still has to read (and refuse when missing or erased).
 */
export interface TokenSubject {
  id: string;
}

/** What the guards put on `request.user`: who is calling. */
export interface AuthUser {
  id: string;
  email: string;
  name: string | null;
  globalRole: GlobalRole | null;
  locale: Locale;
}
