import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { MessageRow } from '../../src/store/index.js';
import { DAY_MS, HOUR_MS, Store } from '../../src/store/index.js';
import { battery } from './fixtures.js';

const MIN = 60_000;

/** Three days of battery readings every 10 min; v cycles 20..25 within each hour, soc unknown in hour 0. */
function fill(store: Store, clock: ManualClock): number {
  let i = 0;
  const t0 = clock.now();
  for (; i < 72 * 6; i++) {
    const at = t0 + i * 10 * MIN;
    const m = battery({ node: 'bat-1', seq: i, ts: at }, 20 + (i % 6), i < 6 ? null : 50 + (i % 6));
    const row: MessageRow = { node: m.node, boot: m.boot, seq: m.seq, ts: m.ts, received: at, type: m.type, body: JSON.stringify(m.body), link: 'mqtt' };
    store.commit([row]);
  }
  return t0;
}

const rawCount = (s: Store) => s.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;

describe('retention and downsampling (virtual time)', () => {
  it('folds complete hours into count/min/max/avg/last and deletes raw rows past the window', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = Store.open(':memory:');
    const t0 = fill(store, clock);
    clock.advance(72 * HOUR_MS + 5 * MIN);
    // One message in the current (incomplete) hour: it must not be folded yet.
    const m = battery({ node: 'bat-1', seq: 10_000 }, 30);
    store.commit([{ node: 'bat-1', boot: 1, seq: 10_000, ts: clock.now(), received: clock.now() - MIN, type: 'battery', body: JSON.stringify(m.body), link: 'mqtt' }]);

    const res = store.maintenance(clock.now());
    expect(res.more).toBe(false);
    expect(res.folded).toBe(432);
    // Raw rows received before now − 48 h are gone (i·10 min < 24 h 5 min → i ≤ 144).
    expect(res.deleted).toBe(145);
    expect(rawCount(store)).toBe(432 + 1 - 145);
    expect(res.floors).toEqual([{ node: 'bat-1', boot: 1, seq: 144 }]);

    const v = store.hourly({ node: 'bat-1', metric: 'v' });
    expect(v).toHaveLength(72);
    expect(v[0]).toEqual({ node: 'bat-1', type: 'battery', metric: 'v', hour: t0, count: 6, min: 20, max: 25, avg: 22.5, last: 25, lastAt: t0 + 50 * MIN });
    expect(v.every((r) => r.count === 6 && r.min === 20 && r.max === 25 && r.avg === 22.5)).toBe(true);
    expect(v.at(-1)!.hour).toBe(t0 + 71 * HOUR_MS);
    // An hour of unknown soc produces no aggregate, never an average of zeros.
    const soc = store.hourly({ metric: 'soc' });
    expect(soc).toHaveLength(71);
    expect(soc[0]!.hour).toBe(t0 + HOUR_MS);

    // A second pass has nothing left to do.
    expect(store.maintenance(clock.now())).toMatchObject({ folded: 0, deleted: 0 });
    // Once the hour is complete, the last message is folded as well.
    clock.advance(HOUR_MS);
    expect(store.maintenance(clock.now()).folded).toBe(1);
    expect(store.hourly({ metric: 'v', since: t0 + 72 * HOUR_MS })).toMatchObject([{ count: 1, min: 30, max: 30, last: 30 }]);
    store.close();
  });

  it('does the same work in bounded slices, merging hours split across batches', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const whole = Store.open(':memory:');
    const sliced = Store.open(':memory:');
    fill(whole, clock);
    const c2 = new ManualClock(Date.UTC(2026, 0, 1));
    fill(sliced, c2);
    const now = clock.now() + 72 * HOUR_MS;
    whole.maintenance(now);
    let passes = 0;
    let deleted = 0;
    for (;;) {
      passes++;
      const r = sliced.maintenance(now, { batchRows: 25, maxRows: 100 });
      deleted += r.deleted;
      if (!r.more) break;
      expect(passes).toBeLessThan(100);
    }
    expect(passes).toBeGreaterThan(5);
    expect(deleted).toBe(144);
    // Same aggregates; sums added in a different grouping may differ in the last float bit.
    const strip = (rows: ReturnType<Store['hourly']>) => rows.map(({ avg, ...r }) => ({ ...r, avg: Math.round(avg * 1e9) / 1e9 }));
    expect(strip(sliced.hourly())).toEqual(strip(whole.hourly()));
    expect(rawCount(sliced)).toBe(rawCount(whole));
    whole.close();
    sliced.close();
  });

  it('keeps events for the event window only', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = Store.open(':memory:');
    for (let d = 0; d < 40; d++) store.appendEvents([{ ts: clock.now() + d * DAY_MS, level: 'info', source: 'test', kind: 'daily', data: { d } }]);
    const now = clock.now() + 40 * DAY_MS;
    const res = store.maintenance(now);
    expect(res.eventsDeleted).toBe(10);
    const left = store.events();
    expect(left).toHaveLength(30);
    expect(left[0]).toMatchObject({ kind: 'daily', data: { d: 10 }, level: 'info', source: 'test' });
    store.close();
  });

  it('honours configured windows', () => {
    const store = Store.open(':memory:', { rawRetentionMs: 2 * HOUR_MS, eventRetentionMs: HOUR_MS });
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    fill(store, clock);
    store.appendEvents([{ ts: clock.now(), level: 'warn', source: 'test', kind: 'old' }]);
    const res = store.maintenance(clock.now() + 72 * HOUR_MS);
    expect(rawCount(store)).toBe(12);
    expect(res.eventsDeleted).toBe(1);
    store.close();
  });
});
