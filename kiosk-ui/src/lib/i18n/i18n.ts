// i18n store: the current language as a signal, `t` reads it so components re-render on a switch.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { LANGS, RTL_LANGS, STRINGS, type Key, type Lang } from './strings.js';

export interface I18n {
  readonly lang: ReadonlySignal<Lang>;
  readonly dir: ReadonlySignal<'ltr' | 'rtl'>;
  /** Languages offered on this screen. */
  readonly available: readonly Lang[];
  setLang(lang: Lang): void;
  t(key: Key, vars?: Record<string, string | number>): string;
  /** BCP 47 tag for Intl formatting (Western digits everywhere: that is what the numbers on the board use). */
  locale(): string;
}

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}

/**
 * First match of: explicit choice (?lang=), the stored choice, the browser's languages; else Dutch.
 * Only languages in `available` are picked.
 */
export function pickLang(candidates: readonly (string | null | undefined)[], available: readonly Lang[] = LANGS): Lang {
  for (const c of candidates) {
    if (!c) continue;
    const base = c.toLowerCase().split('-')[0];
    if (isLang(base) && available.includes(base)) return base;
  }
  return 'nl';
}

export function interpolate(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The string for a key; a key missing in a language (only non-core keys may be) falls back to English. */
export function translate(lang: Lang, key: Key, vars?: Record<string, string | number>): string {
  return interpolate(STRINGS[lang][key] ?? STRINGS.en[key], vars);
}

const LOCALES: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB', ar: 'ar-u-nu-latn', uk: 'uk-UA', pl: 'pl-PL', tr: 'tr-TR' };

export function createI18n(initial: Lang, available: readonly Lang[] = LANGS, onChange?: (lang: Lang) => void): I18n {
  const lang = signal<Lang>(available.includes(initial) ? initial : 'nl');
  return {
    lang: computed(() => lang.value),
    dir: computed(() => (RTL_LANGS.has(lang.value) ? 'rtl' : 'ltr')),
    available,
    setLang(next) {
      if (!available.includes(next) || next === lang.value) return;
      lang.value = next;
      onChange?.(next);
    },
    t: (key, vars) => translate(lang.value, key, vars),
    locale: () => LOCALES[lang.value],
  };
}

const STORAGE_KEY = 'noodsteun.lang';

/** Browser wiring: picks the start language and keeps <html lang dir> and localStorage in step. */
export function createBrowserI18n(available: readonly Lang[] = LANGS): I18n {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage can be disabled (private mode, kiosk policy): the choice then lasts for this page only
  }
  const query = new URLSearchParams(location.search).get('lang');
  const i18n = createI18n(pickLang([query, stored, ...navigator.languages], available), available, (l) => {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // see above
    }
  });
  const apply = () => {
    document.documentElement.lang = i18n.lang.value;
    document.documentElement.dir = i18n.dir.value;
  };
  apply();
  i18n.lang.subscribe(apply);
  return i18n;
}
