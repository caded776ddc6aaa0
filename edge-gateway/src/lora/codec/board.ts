// Board content (downlink, fPort 8): the coordinator sends a template number and its parameters,
// never rendered text; the point renders the template in Dutch (B1) and English from this table,
// and so does the TS013 codec for the network server's console.
import type { Layout, Field } from './layout.js';
import { NEED_CATEGORIES } from './vocab.js';

export const BOARD_PRIORITIES = ['info', 'notice', 'warning', 'alert'] as const;

interface TemplateDef {
  params: readonly Field[];
  /** Names of text parameters, in wire order (after the fixed parameters). */
  texts?: readonly string[];
  nl: string;
  en: string;
}

// Order is the wire code. {name} is replaced by the parameter.
export const BOARD_TEMPLATES = {
  outage_until: {
    params: [{ name: 'until', type: 'time' }],
    nl: 'Stroomstoring. Verwacht herstel om {until}.',
    en: 'Power outage. Expected to be restored at {until}.',
  },
  outage_unknown: {
    params: [],
    nl: 'Stroomstoring. Nog niet bekend hoe lang het duurt.',
    en: 'Power outage. It is not yet known how long it will last.',
  },
  water_point: {
    params: [
      { name: 'from', type: 'time' },
      { name: 'to', type: 'time' },
    ],
    texts: ['place'],
    nl: 'Drinkwater halen: {place}, van {from} tot {to}.',
    en: 'Drinking water: {place}, from {from} to {to}.',
  },
  boil_water: {
    params: [],
    nl: 'Kook kraanwater minstens 1 minuut voor u het drinkt.',
    en: 'Boil tap water for at least 1 minute before drinking.',
  },
  shelter_open: {
    params: [],
    texts: ['place'],
    nl: 'Warme opvang open: {place}.',
    en: 'Warm shelter open: {place}.',
  },
  go_to_for: {
    params: [{ name: 'need', type: 'enum', bits: 5, values: NEED_CATEGORIES }],
    texts: ['place'],
    nl: 'Voor {need}: ga naar {place}.',
    en: 'For {need}: go to {place}.',
  },
  charging_hours: {
    params: [
      { name: 'from', type: 'time' },
      { name: 'to', type: 'time' },
    ],
    nl: 'Telefoon opladen kan hier van {from} tot {to}.',
    en: 'Phone charging here from {from} to {to}.',
  },
  stay_inside: {
    params: [],
    nl: 'Blijf binnen. Sluit ramen en deuren.',
    en: 'Stay indoors. Close windows and doors.',
  },
  next_update: {
    params: [{ name: 'at', type: 'time' }],
    nl: 'Volgende update om {at}.',
    en: 'Next update at {at}.',
  },
  free_text: {
    params: [],
    texts: ['nl', 'en'],
    nl: '{nl}',
    en: '{en}',
  },
} as const satisfies Record<string, TemplateDef>;

export type BoardTemplate = keyof typeof BOARD_TEMPLATES;

export interface BoardMessage {
  kind: 'board';
  id: number;
  /** Board area 0–15 (which area is which is the board's layout, not the codec's). */
  slot: number;
  priority: (typeof BOARD_PRIORITIES)[number];
  /** Hours the content stays valid (1–254; null = until replaced). */
  validHours: number | null;
  template: BoardTemplate;
  params: Record<string, string | number | null>;
}

const templateLayouts: Record<string, Layout> = {};
for (const [name, t] of Object.entries(BOARD_TEMPLATES) as [string, TemplateDef][]) {
  templateLayouts[name] = { fields: t.params, ...(t.texts ? { tail: { type: 'texts', names: t.texts } } : {}) };
}

export const boardLayout: Layout = {
  fields: [
    { name: 'slot', type: 'uint', bits: 4 },
    { name: 'priority', type: 'enum', bits: 2, values: BOARD_PRIORITIES },
    { name: 'validHours', type: 'uint', bits: 8, nullable: true },
    { name: 'template', type: 'enum', bits: 8, values: Object.keys(BOARD_TEMPLATES) },
  ],
  variant: { by: 'template', key: 'params', layouts: templateLayouts },
};

/** Renders a board message with the template table (same rule as the TS013 codec). */
export function renderBoard(msg: Pick<BoardMessage, 'template' | 'params'>, lang: 'nl' | 'en'): string {
  const t: TemplateDef = BOARD_TEMPLATES[msg.template];
  return t[lang].replace(/\{(\w+)\}/g, (_, name: string) => String(msg.params[name] ?? '?'));
}
