// PointStatus.help (the IP status's citizen-help block) ⇄ the LoRa help frame (codec fPort 11), so the
// coordinator rebuilds the very shape the MQTT status carries. Categories go through the codec's need list,
// the same buckets the needs report uses (report-sink's NEED_CATEGORY: medicine → medication, care →
// elderly_care, …).
//
// The cut rule, when a point has more categories with entries than one DR0 frame carries (8): the frame
// keeps the most needed first — the point's "most needed now" list in its order, then by open requests,
// then by matched requests, then by open offers (more first), ties in the codec's category order — and sets
// `cut`. Counts saturate at the field maximum (HELP_MAX); a saturated count reads as "this many or more".
import type { PointStatus } from '../protocol/index.js';
import { FrameDecodeError, HELP_MAX, HELP_MAX_CATEGORIES, NEED_CATEGORIES } from '../lora/codec/index.js';
import type { HelpCategoryCounts } from '../lora/codec/index.js';
import type { HelpReport } from './messages.js';
import { NEED_CATEGORY } from './report-sink.js';

export type HelpAggregate = NonNullable<PointStatus['help']>;
type CodecCategory = (typeof NEED_CATEGORIES)[number];
type Counts = { open: number; matched: number; done: number };

/** A help category key of PointStatus.help (`^[a-z][a-z-]{0,15}$`). */
const HELP_KEY = /^[a-z][a-z-]{0,15}$/;
const FROM_CODEC = new Map<CodecCategory, string>(Object.entries(NEED_CATEGORY).map(([help, codec]) => [codec, help]));

/** Help category → codec category: the shared table, else the same name (`first-aid` → `first_aid`), else `other`. */
export function codecCategory(key: string): CodecCategory {
  const mapped = (NEED_CATEGORY as Record<string, CodecCategory | undefined>)[key];
  if (mapped) return mapped;
  const same = key.replace(/-/g, '_');
  return (NEED_CATEGORIES as readonly string[]).includes(same) ? (same as CodecCategory) : 'other';
}

/** Codec category → help category key (inverse of codecCategory). */
export function helpCategory(c: CodecCategory): string {
  const mapped = FROM_CODEC.get(c);
  if (mapped) return mapped;
  const same = c.replace(/_/g, '-');
  return HELP_KEY.test(same) ? same : 'other';
}

const sat = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(Number.isFinite(v) ? v : 0)));
const zero = (): Counts => ({ open: 0, matched: 0, done: 0 });
const add = (a: Counts, b: Counts | undefined): Counts => (b ? { open: a.open + b.open, matched: a.matched + b.matched, done: a.done + b.done } : a);

/** The LoRa help frame's body for a point's help aggregate (see the cut rule above). */
export function helpReportFromAggregate(agg: HelpAggregate | undefined, maxCategories = HELP_MAX_CATEGORIES): HelpReport {
  const cells = new Map<CodecCategory, { requests: Counts; offers: Counts; rank: number }>();
  const cell = (key: string) => {
    const c = codecCategory(key);
    let e = cells.get(c);
    if (!e) cells.set(c, (e = { requests: zero(), offers: zero(), rank: 0 }));
    return e;
  };
  for (const [key, counts] of Object.entries(agg?.requests ?? {})) {
    const e = cell(key);
    e.requests = add(e.requests, counts);
  }
  for (const [key, counts] of Object.entries(agg?.offers ?? {})) {
    const e = cell(key);
    e.offers = add(e.offers, counts);
  }
  (agg?.mostNeeded ?? []).slice(0, 3).forEach((key, i) => {
    const e = cell(key);
    if (e.rank === 0) e.rank = i + 1;
  });
  const entries: HelpCategoryCounts[] = [...cells].map(([category, e]) => ({
    category,
    rank: e.rank,
    requestsOpen: sat(e.requests.open, HELP_MAX.open),
    requestsMatched: sat(e.requests.matched, HELP_MAX.matched),
    requestsDone: sat(e.requests.done, HELP_MAX.done),
    offersOpen: sat(e.offers.open, HELP_MAX.open),
    offersMatched: sat(e.offers.matched, HELP_MAX.matched),
    offersDone: sat(e.offers.done, HELP_MAX.done),
  }));
  const order = (c: CodecCategory) => NEED_CATEGORIES.indexOf(c);
  const rank = (r: number) => (r === 0 ? 4 : r);
  entries.sort(
    (a, b) =>
      rank(a.rank) - rank(b.rank) ||
      b.requestsOpen - a.requestsOpen ||
      b.requestsMatched - a.requestsMatched ||
      b.offersOpen - a.offersOpen ||
      order(a.category) - order(b.category),
  );
  const max = Math.min(maxCategories, HELP_MAX_CATEGORIES);
  return { cut: entries.length > max, categories: entries.slice(0, max) };
}

/**
 * PointStatus.help from a decoded LoRa help frame. Throws FrameDecodeError (`range`) for what no encoder
 * sends: a category twice, or a most-needed place (1–3) given twice.
 */
export function helpAggregateFromReport(r: HelpReport): HelpAggregate {
  const requests: HelpAggregate['requests'] = {};
  const offers: HelpAggregate['offers'] = {};
  const seen = new Set<CodecCategory>();
  const ranked: string[] = [];
  for (const c of r.categories) {
    if (seen.has(c.category)) throw new FrameDecodeError('range', `help: category ${c.category} twice`);
    seen.add(c.category);
    if (c.rank > 0) {
      if (ranked[c.rank - 1] !== undefined) throw new FrameDecodeError('range', `help: most-needed place ${c.rank} twice`);
      ranked[c.rank - 1] = helpCategory(c.category);
    }
    const key = helpCategory(c.category);
    const req = { open: c.requestsOpen, matched: c.requestsMatched, done: c.requestsDone };
    const off = { open: c.offersOpen, matched: c.offersMatched, done: c.offersDone };
    // Like statusAggregate(): a side without entries is absent, not zero.
    if (req.open + req.matched + req.done > 0) requests[key] = add(requests[key] ?? zero(), req);
    if (off.open + off.matched + off.done > 0) offers[key] = add(offers[key] ?? zero(), off);
  }
  return { requests, offers, mostNeeded: [...new Set(ranked.filter((k): k is string => k !== undefined))] };
}
