// "At a glance" from the gateway's aggregate (no personal data): which categories have open requests and
// offers, and where requests outnumber offers — so a passer-by sees where help is needed most.
import type { Counts, HelpCategory, HelpSummary } from '../../lib/api/help.js';

export interface GlanceRow {
  category: HelpCategory;
  requests: number;
  offers: number;
  /** Matched or being done now. */
  busy: number;
  done: number;
  /** More open requests than open offers: offers wanted. */
  short: boolean;
}

const busy = (c: Counts) => c.matched + c.inProgress;

/** Categories with any activity: most open requests first, then most offers; the gateway's fixed order breaks ties. */
export function glanceRows(s: HelpSummary): GlanceRow[] {
  return s.categories
    .map((c) => ({
      category: c.category,
      requests: c.requests.open,
      offers: c.offers.open,
      busy: busy(c.requests) + busy(c.offers),
      done: c.requests.done + c.offers.done,
      short: c.requests.open > c.offers.open,
    }))
    .filter((r) => r.requests + r.offers + r.busy + r.done > 0)
    .sort((a, b) => b.requests - a.requests || b.offers - a.offers);
}

/** Totals over all categories: open requests and offers, pairs being handled (request side), requests done. */
export function glanceTotals(s: HelpSummary): { requests: number; offers: number; busy: number; done: number } {
  const { requests: r, offers: o } = s.totals;
  return { requests: r.open, offers: o.open, busy: busy(r), done: r.done };
}
