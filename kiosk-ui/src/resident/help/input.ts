// Form fields (strings, as FormData gives them) → the JSON the gateway takes (OfferInput / RequestInput).
// The gateway validates again; this only shapes the values and catches what the browser's own checks miss.
import { HELP_CATEGORIES, URGENCIES, type HelpCategory, type HelpKind, type OfferInput, type RequestInput, type Urgency } from '../../lib/api/help.js';

const oneOf = <T extends string>(list: readonly T[], x: string | undefined): x is T => x !== undefined && (list as readonly string[]).includes(x);

/** null when a required choice is missing or the address note is empty (the form then shows "check the fields"). */
export function formToHelpInput(kind: 'offer', f: Record<string, string>): OfferInput | null;
export function formToHelpInput(kind: 'request', f: Record<string, string>): RequestInput | null;
export function formToHelpInput(kind: HelpKind, f: Record<string, string>): OfferInput | RequestInput | null;
export function formToHelpInput(kind: HelpKind, f: Record<string, string>): OfferInput | RequestInput | null {
  const s = (k: string) => (f[k] ?? '').trim();
  if (!oneOf<HelpCategory>(HELP_CATEGORIES, f.category) || s('what').length < 3) return null;
  const method = f.contact === 'address' ? 'address' : 'at-point';
  if (method === 'address' && !s('note')) return null;
  const contact = { method, note: s('note') } as const;
  if (kind === 'offer') return { category: f.category, what: s('what'), transport: f.transport === 'yes', when: s('when'), where: s('where'), contact };
  if (!oneOf<Urgency>(URGENCIES, f.urgency)) return null;
  const people = s('people') ? Number(s('people')) : null;
  if (people !== null && !(Number.isInteger(people) && people >= 1 && people <= 999)) return null;
  return { category: f.category, what: s('what'), where: s('where'), urgency: f.urgency, people, contact };
}
