// Evidence for the pilot evaluation: per UTC day, kind and category, how many entries were registered,
// matched, done, withdrawn, expired and escalated, and how many people the requests concerned. Counts only:
// no ids, no free text, nothing that points at a person.
import { HELP_CATEGORIES, HELP_KINDS } from './schemas.js';
import type { HelpRow } from './store.js';

export const EVIDENCE_COLUMNS = ['day', 'kind', 'category', 'registered', 'matched', 'done', 'withdrawn', 'expired', 'escalated', 'people'] as const;

type Tally = Record<(typeof EVIDENCE_COLUMNS)[number], string | number>;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function evidenceCsv(rows: readonly HelpRow[]): string {
  const cells = new Map<string, Tally>();
  const bump = (at: number | null, r: HelpRow, col: 'registered' | 'matched' | 'done' | 'withdrawn' | 'expired' | 'escalated', by = 1) => {
    if (at === null) return;
    const key = `${day(at)}|${r.kind}|${r.category}`;
    let t = cells.get(key);
    if (!t) {
      t = { day: day(at), kind: r.kind, category: r.category, registered: 0, matched: 0, done: 0, withdrawn: 0, expired: 0, escalated: 0, people: 0 };
      cells.set(key, t);
    }
    (t[col] as number) += by;
  };
  for (const r of rows) {
    bump(r.createdAt, r, 'registered');
    bump(r.matchedAt, r, 'matched');
    bump(r.doneAt, r, 'done');
    bump(r.withdrawnAt, r, 'withdrawn');
    bump(r.expiredAt, r, 'expired');
    bump(r.escalatedAt, r, 'escalated');
    if (r.kind === 'request' && r.people !== null) {
      const t = cells.get(`${day(r.createdAt)}|${r.kind}|${r.category}`)!;
      (t.people as number) += r.people;
    }
  }
  const kindOrder = (k: string) => HELP_KINDS.indexOf(k as never);
  const catOrder = (c: string) => HELP_CATEGORIES.indexOf(c as never);
  const sorted = [...cells.values()].sort(
    (a, b) => String(a.day).localeCompare(String(b.day)) || kindOrder(String(a.kind)) - kindOrder(String(b.kind)) || catOrder(String(a.category)) - catOrder(String(b.category)),
  );
  // Every value is a date, an enum word or a number: nothing needs quoting.
  return [EVIDENCE_COLUMNS.join(','), ...sorted.map((t) => EVIDENCE_COLUMNS.map((c) => t[c]).join(','))].join('\n') + '\n';
}
