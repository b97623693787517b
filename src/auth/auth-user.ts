export type GlobalRole = 'coordinator';
export type Locale = 'sv' | 'en';

/**
 * On @AccountReadByHandler() routes the guard puts only this on `request.user`: the subject of a
 * valid token, whose account the handler still has to read (and refuse when missing or erased, or
 * when its version moved on: `tokenRevoked()`).
 */
export interface TokenSubject {
  id: string;
  /** The token's version (`users.auth_version` when it was issued), for the handler to compare. */
  version: number;
}

/** What the guards put on `request.user`: who is calling. */
export interface AuthUser {
  id: string;
  email: string;
  name: string | null;
  globalRole: GlobalRole | null;
  locale: Locale;
  /**
   * Set when a provider's system calls with an API key (`klk_…`): the caller is the key, not a
   * person (`id` is the key's id), with that provider's staff rights only.
   */
  apiKey?: { id: string; providerId: string };
}
