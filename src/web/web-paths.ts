import { RequestMethod } from '@nestjs/common';

interface RouteInfo {
  path: string;
  method: RequestMethod;
}

/**
 * The first path segments of the web front end's pages (served outside /api/v1). A feature adding
 * pages adds its segment here (each covers the segment and everything below it).
 */
export const WEB_SEGMENTS = [
  // foundation and sign-in
  'logga-in',
  'logga-ut',
  'magic-link',
  'reset-password',
  'sprak',
  // pages people open from email links (existing)
  'invite',
  'survey',
  // employees and organisation admins
  'kurser',
  'bokningar',
  'boka',
  'inventering',
  'organisation',
  'mina-uppgifter',
  // provider staff (src/web/provider)
  'anordnare',
  // coordinators (src/web/coordinator)
  'samordning',
  // ESF participants: time reports and their certification (the certification email's link)
  'tidrapporter',
  // programmes: the interventions that concern an org admin or provider staff (src/programmes/pages)
  'insatser',
] as const;

/** The global prefix's exclusions for the pages: `/`, each segment and everything below it. */
export function webRoutes(): RouteInfo[] {
  return [
    { path: '/', method: RequestMethod.ALL },
    ...WEB_SEGMENTS.flatMap((segment) => [
      { path: segment, method: RequestMethod.ALL },
      { path: `${segment}/*rest`, method: RequestMethod.ALL },
    ]),
  ];
}

/** True for a path the web front end serves (errors there are HTML pages, not JSON). */
export function isWebPath(url: string): boolean {
  const path = url.split('?')[0];
  if (path === '/' || path === '') return true;
  const segment = path.split('/')[1]?.toLowerCase();
  return (WEB_SEGMENTS as readonly string[]).includes(segment);
}
