// Counts without people in them: per category and kind how many entries are open, matched, in progress and
// done, and which categories are most needed now. The resident screen, the board and the coordinator all
// read these shapes; none carries free text or ids.
import { HELP_CATEGORIES, URGENCY_WEIGHT, type HelpCategory, type HelpKind } from './schemas.js';
import type { CountRow, DemandRow } from './store.js';

export interface Counts {
  open: number;
  matched: number;
  inProgress: number;
  done: number;
}

export interface MostNeeded {
  category: HelpCategory;
  score: number;
  openRequests: number;
  people: number;
}

export interface HelpSummary {
  at: number;
  categories: { category: HelpCategory; requests: Counts; offers: Counts }[];
  totals: { requests: Counts; offers: Counts };
  mostNeeded: MostNeeded[];
  /** Entry lifetime and personal-data retention, for the privacy statement on the resident screens. */
  retention?: { entryHours: number; personalDays: number };
}

/** What the point sends to the coordinator in its status (`matched` = matched + in progress). */
export interface HelpStatusAggregate {
  requests: Partial<Record<HelpCategory, { open: number; matched: number; done: number }>>;
  offers: Partial<Record<HelpCategory, { open: number; matched: number; done: number }>>;
  mostNeeded: HelpCategory[];
}

/** The board's one line: totals and the most needed categories. */
export interface HelpBoardLine {
  requestsOpen: number;
  offersOpen: number;
  matched: number;
  done: number;
  mostNeeded: HelpCategory[];
}

const zero = (): Counts => ({ open: 0, matched: 0, inProgress: 0, done: 0 });
const MOST_NEEDED_MAX = 3;

export function summarize(counts: readonly CountRow[], demand: readonly DemandRow[], at: number): HelpSummary {
  const cells = new Map<string, Counts>();
  const cell = (kind: HelpKind, category: HelpCategory) => {
    const key = `${kind}:${category}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = zero()));
    return c;
  };
  for (const r of counts) {
    const c = cell(r.kind, r.category);
    if (r.status === 'open') c.open += r.n;
    else if (r.status === 'matched') c.matched += r.n;
    else if (r.status === 'in-progress') c.inProgress += r.n;
    else if (r.status === 'done') c.done += r.n;
  }
  const categories = HELP_CATEGORIES.map((category) => ({ category, requests: { ...cell('request', category) }, offers: { ...cell('offer', category) } }));
  const add = (a: Counts, b: Counts): Counts => ({ open: a.open + b.open, matched: a.matched + b.matched, inProgress: a.inProgress + b.inProgress, done: a.done + b.done });
  const totals = {
    requests: categories.reduce((t, c) => add(t, c.requests), zero()),
    offers: categories.reduce((t, c) => add(t, c.offers), zero()),
  };
  const need = new Map<HelpCategory, MostNeeded>();
  for (const d of demand) {
    const m = need.get(d.category) ?? { category: d.category, score: 0, openRequests: 0, people: 0 };
    m.score += URGENCY_WEIGHT[d.urgency] * (d.people ?? 1);
    m.openRequests += 1;
    m.people += d.people ?? 0;
    need.set(d.category, m);
  }
  // Ties go to the category listed first (water before food…), so the order is stable between refreshes.
  const order = (c: HelpCategory) => HELP_CATEGORIES.indexOf(c);
  const mostNeeded = [...need.values()]
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || order(a.category) - order(b.category))
    .slice(0, MOST_NEEDED_MAX);
  return { at, categories, totals, mostNeeded };
}

export function statusAggregate(s: HelpSummary): HelpStatusAggregate {
  const requests: HelpStatusAggregate['requests'] = {};
  const offers: HelpStatusAggregate['offers'] = {};
  const compact = (c: Counts) => ({ open: c.open, matched: c.matched + c.inProgress, done: c.done });
  const any = (c: Counts) => c.open + c.matched + c.inProgress + c.done > 0;
  // Only categories with entries: a point's status travels over LoRa too, where every byte counts.
  for (const c of s.categories) {
    if (any(c.requests)) requests[c.category] = compact(c.requests);
    if (any(c.offers)) offers[c.category] = compact(c.offers);
  }
  return { requests, offers, mostNeeded: s.mostNeeded.map((m) => m.category) };
}

export function boardLine(s: HelpSummary): HelpBoardLine {
  const t = s.totals;
  return {
    requestsOpen: t.requests.open,
    offersOpen: t.offers.open,
    // A match is one request and one offer: count pairs, not entries.
    matched: t.requests.matched + t.requests.inProgress,
    done: t.requests.done,
    mostNeeded: s.mostNeeded.map((m) => m.category),
  };
}
