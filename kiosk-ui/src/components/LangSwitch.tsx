/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// Language choice as links (`?lang=xx`), so it also works on the server-rendered page without JavaScript;
// with JavaScript a click switches in place. Each link is labelled in its own language, so a reader finds
// theirs without reading the current one.
import { LANG_NAMES, RTL_LANGS, type Lang } from '../lib/i18n/strings.js';
import type { I18n } from '../lib/i18n/i18n.js';

export function langHref(lang: Lang, search = ''): string {
  const params = new URLSearchParams(search);
  params.set('lang', lang);
  return `?${params.toString()}`;
}

/** `search`: the query the links keep besides `lang` (e.g. a charging ticket's `t=` on a page without JavaScript). */
export function LangSwitch({ i18n, search = '' }: { i18n: I18n; search?: string }) {
  const current = i18n.lang.value;
  return (
    <nav class="ns-lang" aria-label={i18n.t('lang.label')}>
      {i18n.available.map((l) => (
        <a
          key={l}
          class="ns-lang__button"
          href={langHref(l, search)}
          hrefLang={l}
          lang={l}
          dir={RTL_LANGS.has(l) ? 'rtl' : 'ltr'}
          aria-current={l === current ? 'true' : undefined}
          data-lang={l}
          onClick={(ev) => {
            ev.preventDefault();
            i18n.setLang(l);
            // keep the address in step, so a reload (or a bookmark) stays in the chosen language
            history.replaceState(history.state, '', langHref(l, location.search) + location.hash);
          }}
        >
          {LANG_NAMES[l]}
        </a>
      ))}
    </nav>
  );
}
