// Hash routes: the gateway serves static files only, so `/console/#/technician` needs no server rewrite.
// The first segment names a screen of the registry (screens.ts); '' is the start page. A screen may use the
// rest (`#/technician/wizard?step=2`) for its own sub-pages.

export interface Route {
  /** Screen id ('' = start page). */
  screen: string;
  /** What follows the screen id, without the leading '/' (may be ''). */
  rest: string;
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const m = /^([\w-]*)[/?]?(.*)$/.exec(path);
  return { screen: m?.[1] ?? '', rest: m?.[2] ?? '' };
}

export function routeHref(screen: string, rest = ''): string {
  if (!screen) return '#/';
  return rest ? `#/${screen}/${rest}` : `#/${screen}`;
}
