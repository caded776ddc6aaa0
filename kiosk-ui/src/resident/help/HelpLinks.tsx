/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// Links from the resident start page to citizen help and the directory (plain links: they also work on the
// gateway's server-rendered page; the screens themselves need JavaScript).
import type { I18n } from '../../lib/i18n/i18n.js';
import { translator } from '../../lib/i18n/table.js';
import { helpLinkStrings } from '../../lib/i18n/tables/help-links.js';

export function HelpLinks({ i18n }: { i18n: I18n }) {
  const t = translator(helpLinkStrings, i18n);
  const lang = i18n.lang.value;
  return (
    <nav class="ns-reports" aria-labelledby="help-links-title">
      <h2 id="help-links-title">{t('links.title')}</h2>
      <a class="ns-action" href={`/?lang=${lang}#/help`} data-help-link="help">
        {t('links.help')}
      </a>
      <a class="ns-action" href={`/?lang=${lang}#/places`} data-help-link="places">
        {t('links.places')}
      </a>
    </nav>
  );
}
