// The help screens' texts, one language at a time: each language is its own small chunk, so a phone fetches
// only what it shows (all six together would double the help chunk).
import { interpolate } from '../../lib/i18n/i18n.js';
import type { Lang } from '../../lib/i18n/strings.js';
import type { Translate } from '../../lib/i18n/table.js';
import type { HelpKey, HelpTexts } from '../../lib/i18n/tables/help.js';

const LOADERS: Record<Lang, () => Promise<{ default: HelpTexts }>> = {
  nl: () => import('../../lib/i18n/tables/help/nl.js'),
  en: () => import('../../lib/i18n/tables/help/en.js'),
  ar: () => import('../../lib/i18n/tables/help/ar.js'),
  uk: () => import('../../lib/i18n/tables/help/uk.js'),
  pl: () => import('../../lib/i18n/tables/help/pl.js'),
  tr: () => import('../../lib/i18n/tables/help/tr.js'),
};

const loaded: Partial<Record<Lang, HelpTexts>> = {};

export function helpTextsLoaded(lang: Lang): HelpTexts | undefined {
  return loaded[lang];
}

export async function loadHelpTexts(lang: Lang): Promise<HelpTexts> {
  return (loaded[lang] ??= (await LOADERS[lang]()).default);
}

export function translate(texts: HelpTexts): Translate<HelpKey> {
  return (key, vars) => interpolate(texts[key], vars);
}
