// The addresses of the help screens, with no imports: the views, the start page's links and the gateway's
// no-JavaScript pages share them without pulling in the app's lazily loaded chunk (route.tsx does).
export const HELP_SCREENS = ['help', 'offer', 'request', 'withdraw', 'places'] as const;
export type HelpScreen = (typeof HELP_SCREENS)[number];

export function helpHref(screen: HelpScreen): string {
  return screen === 'places' ? '#/places' : screen === 'help' ? '#/help' : `#/help/${screen}`;
}

/**
 * The same screens as real paths: the gateway serves them as pages for a browser without JavaScript
 * (edge-gateway/src/http/help-pages.ts), forms posted, no app script. `plain` views link here.
 */
export function helpPath(screen: HelpScreen, lang: string): string {
  return `${screen === 'places' ? '/places' : screen === 'help' ? '/help' : `/help/${screen}`}?lang=${lang}`;
}

/** A link to a help screen: in the app a hash route, on a page without JavaScript (`plain`) a real path. */
export function helpLink(screen: HelpScreen, lang: string, plain: boolean | undefined): string {
  return plain ? helpPath(screen, lang) : helpHref(screen);
}
