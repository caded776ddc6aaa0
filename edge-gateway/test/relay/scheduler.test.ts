import { describe, it, expect } from 'vitest';
import { lorawanAirtimeMs, timeOnAirMs } from '../../src/lora/airtime.js';
import { EU868_JOIN_SUB_BAND, LoraBudget, pickNext } from '../../src/relay/scheduler.js';
import { Outbox } from '../../src/relay/outbox.js';
import { emergency, needs, relayDb, status } from './support.js';

const T0 = Date.UTC(2026, 10, 27, 12);
const STATUS_SF12 = lorawanAirtimeMs(12, 12); // 1482.752 ms

describe('LoraBudget', () => {
  it('keeps one sub-band free for emergencies: routine traffic waits for T/duty, an emergency goes at once', () => {
    const b = new LoraBudget();
    expect(b.check(false, STATUS_SF12, T0)).toEqual({ ok: true });
    b.record(STATUS_SF12, T0);
    const v = b.check(false, STATUS_SF12, T0 + 1000);
    expect(v).toMatchObject({ ok: false, reason: 'duty-cycle' });
    expect(v.ok ? 0 : v.waitMs).toBeCloseTo(STATUS_SF12 / 0.01 - 1000, 3);
    expect(b.check(true, STATUS_SF12, T0 + 1000)).toEqual({ ok: true });
    b.record(STATUS_SF12, T0 + 1000);
    // both bands now silent: even an emergency must wait for the first to free up
    const both = b.check(true, STATUS_SF12, T0 + 2000);
    expect(both).toMatchObject({ ok: false, reason: 'duty-cycle' });
    expect(both.ok ? 0 : both.waitMs).toBeCloseTo(STATUS_SF12 / 0.01 - 2000, 3);
    // routine traffic needs both free again: the second frees up 1 s after the first
    expect(b.check(true, STATUS_SF12, T0 + STATUS_SF12 / 0.01)).toEqual({ ok: true });
    expect(b.check(false, STATUS_SF12, T0 + STATUS_SF12 / 0.01).ok).toBe(false);
    expect(b.check(false, STATUS_SF12, T0 + 1000 + STATUS_SF12 / 0.01)).toEqual({ ok: true });
  });

  it('stops routine traffic at the daily budget minus the reserve, but not emergencies', () => {
    const b = new LoraBudget({ subBands: [{ name: 'a', duty: 1 }, { name: 'b', duty: 1 }], dailyBudgetMs: 30_000, emergencyReserveMs: 10_000 });
    let t = T0;
    while (b.check(false, 2000, t).ok) {
      b.record(2000, t);
      t += 3000;
    }
    expect(b.usedMs(t)).toBe(20_000);
    const v = b.check(false, 2000, t);
    expect(v).toMatchObject({ ok: false, reason: 'daily-budget' });
    // the first transmission leaves the 24 h window at T0 + 1 day
    expect(v.ok ? 0 : v.waitMs).toBe(T0 + 86_400_000 - t);
    expect(b.check(true, 2000, t)).toEqual({ ok: true });
    expect(b.check(false, 2000, T0 + 86_400_000).ok).toBe(true);
  });

  it('books a join request on the join sub-band, so routine traffic cannot take the band an emergency needs', () => {
    const b = new LoraBudget();
    const join = timeOnAirMs(23, { sf: 12 });
    b.record(join, T0, EU868_JOIN_SUB_BAND);
    expect(b.check(false, STATUS_SF12, T0 + 1).ok).toBe(false);
    expect(b.check(true, STATUS_SF12, T0 + 1)).toEqual({ ok: true });
    expect(() => b.record(1, T0, 'no such band')).toThrow(RangeError);
  });

  it('trusts the modem when it refuses for duty cycle', () => {
    const b = new LoraBudget();
    b.blockAll(T0 + 5000);
    expect(b.check(true, 100, T0)).toMatchObject({ ok: false, waitMs: 5000 });
  });
});

describe('pickNext', () => {
  it('gives LoRa the emergency first, then routine traffic only when the budget admits it', () => {
    const o = new Outbox(relayDb());
    const b = new LoraBudget();
    o.accept({ kind: 'status', body: status() }, T0);
    o.accept({ kind: 'needs', body: needs() }, T0);
    const e = o.accept({ kind: 'emergency', body: emergency() }, T0);
    const lora = { budget: b, airtimeMs: () => STATUS_SF12 };
    const first = pickNext(o, 'lora', T0, lora);
    expect(first.row?.id).toBe(e.id);
    o.markSent(e.id, 'lora', T0, T0 + 900_000);
    o.markConfirmed(e.id);
    b.record(STATUS_SF12, T0);
    // one band busy: routine traffic must leave the other one free
    const second = pickNext(o, 'lora', T0 + 3000, lora);
    expect(second.row).toBeNull();
    expect(second.row ? 0 : second.waitMs).toBeCloseTo(STATUS_SF12 / 0.01 - 3000, 3);
    const third = pickNext(o, 'lora', T0 + STATUS_SF12 / 0.01, lora);
    expect(third.row?.kind).toBe('needs');
    // IP ignores airtime; the confirmed emergency is still in flight, not due
    expect(pickNext(o, 'ip', T0 + 3000).row?.kind).toBe('needs');
  });
});
