// Per-feature string tables, so each screen carries only its own texts (the console's stay out of the
// resident bundle) and features add strings without touching one shared file. Dutch (B1) is the source.
// Resident tables cover every language; console tables Dutch and English (the console's languages).
import { interpolate, type I18n } from './i18n.js';
import type { Lang } from './strings.js';

type Texts<K extends string> = Record<K, string>;

/** A resident-screen table: every key in all six languages, with the same {placeholders}. */
export type ResidentTable<K extends string> = Record<Lang, Texts<K>>;
/** A console table: Dutch and English. */
export type ConsoleTable<K extends string> = { nl: Texts<K>; en: Texts<K> };
export type AnyTable<K extends string> = ConsoleTable<K> & Partial<Record<Lang, Texts<K>>>;

export function residentStrings<const N extends Record<string, string>>(t: { nl: N } & Record<Exclude<Lang, 'nl'>, Texts<Extract<keyof N, string>>>): ResidentTable<Extract<keyof N, string>> {
  return t as ResidentTable<Extract<keyof N, string>>;
}

export function consoleStrings<const N extends Record<string, string>>(t: { nl: N; en: Texts<Extract<keyof N, string>> }): ConsoleTable<Extract<keyof N, string>> {
  return t as ConsoleTable<Extract<keyof N, string>>;
}

export type Translate<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

/** `t` for one table in the page's current language (falls back to English); reads the language signal. */
export function translator<K extends string>(table: AnyTable<K>, i18n: Pick<I18n, 'lang'>): Translate<K> {
  return (key, vars) => interpolate((table as Partial<Record<Lang, Texts<K>>>)[i18n.lang.value]?.[key] ?? table.en[key], vars);
}
