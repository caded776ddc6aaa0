// Citizen help and the neighbourhood directory in the resident app, as hash routes on `/` (the gateway serves
// `/` itself, so `/#/help` needs no server rewrite). This file stays in the first-load bundle and is tiny:
// the screens load as their own chunk on first use. App.tsx routes here when parseHelpRoute(hash) matches.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { I18n } from '../../lib/i18n/i18n.js';
import type { Translate } from '../../lib/i18n/table.js';
import type { HelpKey, HelpTexts } from '../../lib/i18n/tables/help.js';
import { helpTextsLoaded, loadHelpTexts, translate } from './texts.js';
import type { HelpScreen } from './paths.js';

export { HELP_SCREENS, helpHref, type HelpScreen } from './paths.js';

/** `#/help`, `#/help/offer`, `#/help/request`, `#/help/withdraw`, `#/places` → the screen; anything else → null. */
export function parseHelpRoute(hash: string): HelpScreen | null {
  const m = /^#\/(help(?:\/(offer|request|withdraw))?|places)\/?$/.exec(hash.split('?')[0] ?? '');
  if (!m) return null;
  return m[1] === 'places' ? 'places' : ((m[2] as HelpScreen | undefined) ?? 'help');
}

type Screens = ComponentType<{ i18n: I18n; screen: HelpScreen; t: Translate<HelpKey> }>;
let loaded: Screens | null = null;

/**
 * Loads the help chunk and the texts of the current language (in parallel, on first use; a language switch
 * loads that language's texts) and shows a short "loading" line meanwhile.
 */
export function HelpScreens(props: { i18n: I18n; screen: HelpScreen }) {
  const lang = props.i18n.lang.value;
  const [Comp, setComp] = useState<Screens | null>(() => loaded);
  const [texts, setTexts] = useState<HelpTexts | undefined>(() => helpTextsLoaded(lang));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Comp) return;
    import('./HelpApp.js').then(
      (m) => setComp(() => (loaded = m.HelpApp)),
      () => setFailed(true),
    );
  }, []);
  useEffect(() => {
    // until the new language arrives, the last one stays on screen
    loadHelpTexts(lang).then(setTexts, () => setFailed(true));
  }, [lang]);
  // a new screen starts at its top (hash navigation keeps the scroll position)
  useEffect(() => window.scrollTo(0, 0), [props.screen]);
  if (Comp && texts) return <Comp {...props} t={translate(texts)} />;
  // A page root like every screen's: on the first render Preact then takes over the gateway's server-rendered
  // page (a `div.ns-page` in #app) instead of leaving it under the new screen.
  return (
    <div class="ns-page">
      <p class={failed ? 'ns-error' : 'ns-loading'} role={failed ? 'alert' : 'status'}>
        {props.i18n.t(failed ? 'error.title' : 'loading')}
      </p>
    </div>
  );
}
