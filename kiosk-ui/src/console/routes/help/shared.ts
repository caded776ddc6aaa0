// Pieces both staff help screens use.
import type { I18n } from '../../../lib/i18n/i18n.js';
import nlTexts from '../../../lib/i18n/tables/help/nl.js';
import enTexts from '../../../lib/i18n/tables/help/en.js';

export type Msg = { tone: 'ok' | 'bad'; text: string } | null;

/** Resident help texts (place kinds, services, place status names) in the console's language (nl or en). */
export function residentTexts(i18n: Pick<I18n, 'lang'>) {
  return i18n.lang.value === 'nl' ? nlTexts : enTexts;
}
