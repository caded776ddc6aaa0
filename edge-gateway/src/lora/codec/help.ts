// Citizen-help aggregate (uplink, fPort 11): per need category how many help requests and offers are open,
// matched (incl. in progress) and done at the point — the `help` block of the IP status, for a point whose
// only path is LoRa. A separate kind rather than more status bits: it changes when staff match people, not
// every status interval, and the 88-bit status stays one small frame.
// One header byte (version, `cut`), then 6 bytes per category; at most 8 categories, so the largest frame
// (50 bytes with the CRC) still fits the 51 bytes of DR0. Counts saturate: 127 open means "127 or more".
import type { Layout } from './layout.js';
import { NEED_CATEGORIES, type NeedCategory } from './vocab.js';

/** Categories one frame carries: 1 + 8 × 6 + 1 (CRC) = 50 bytes ≤ 51 (DR0–DR2). */
export const HELP_MAX_CATEGORIES = 8;
/** Largest count per field: open and done 7 bits, matched 6 bits. */
export const HELP_MAX = { open: 127, matched: 63, done: 127 } as const;

export interface HelpCategoryCounts {
  category: NeedCategory;
  /** Place in the point's "most needed now" list (1–3), 0 when not in it. */
  rank: number;
  requestsOpen: number;
  requestsMatched: number;
  requestsDone: number;
  offersOpen: number;
  offersMatched: number;
  offersDone: number;
}

export interface HelpMessage {
  kind: 'help';
  /** The point had more categories with entries than one frame carries; the least needed were left out. */
  cut: boolean;
  /** Only categories with entries, most needed first (0–8). */
  categories: HelpCategoryCounts[];
}

const counts = (side: 'requests' | 'offers') =>
  [
    { name: `${side}Open`, type: 'uint', bits: 7, clamp: true },
    { name: `${side}Matched`, type: 'uint', bits: 6, clamp: true },
    { name: `${side}Done`, type: 'uint', bits: 7, clamp: true },
  ] as const;

export const helpLayout: Layout = {
  fields: [{ name: 'cut', type: 'bool' }],
  tail: {
    type: 'list',
    name: 'categories',
    min: 0,
    max: HELP_MAX_CATEGORIES,
    // 5 + 2 + 2 × 20 = 47 bits: one entry is 6 bytes.
    fields: [{ name: 'category', type: 'enum', bits: 5, values: NEED_CATEGORIES }, { name: 'rank', type: 'uint', bits: 2 }, ...counts('requests'), ...counts('offers')],
  },
};
