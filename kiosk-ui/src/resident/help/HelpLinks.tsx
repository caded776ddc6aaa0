/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// Links from the resident start page to citizen help and the directory. In the app they are hash routes; on
// the gateway's server-rendered start page (`plain`) they are the real paths of the no-JavaScript pages, and
// the app, once it runs, turns them back into hash routes.
import type { I18n } from '../../lib/i18n/i18n.js';
import { translator } from '../../lib/i18n/table.js';
import { helpLinkStrings } from '../../lib/i18n/tables/help-links.js';
import { helpPath } from './paths.js';

export function HelpLinks({ i18n, plain }: { i18n: I18n; plain?: boolean | undefined }) {
  const t = translator(helpLinkStrings, i18n);
  const lang = i18n.lang.value;
  return (
    <nav class="ns-reports" aria-labelledby="help-links-title">
      <h2 id="help-links-title">{t('links.title')}</h2>
      <a class="ns-action" href={plain ? helpPath('help', lang) : `/?lang=${lang}#/help`} data-help-link="help">
        {t('links.help')}
      </a>
      <a class="ns-action" href={plain ? helpPath('places', lang) : `/?lang=${lang}#/places`} data-help-link="places">
        {t('links.places')}
      </a>
    </nav>
  );
}
