export type GlobalRole = 'coordinator';
export type Locale = 'sv' | 'en';

/** What the guards put on `request.user`: who is calling. */
export interface AuthUser {
  id: string;
  email: string;
  name: string | null;
  globalRole: GlobalRole | null;
  locale: Locale;
}
