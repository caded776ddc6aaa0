// LoraPath.linkCheck (the commissioning wizard's LoRa step) on virtual time: it joins first, waits for a
// message of the relay already going out, books its probe in the airtime budget, and gives up when the
// path stays busy. The modem is the relay tests' VirtualModem; the driver's own link check is tested in
// test/drivers/lora-modem and end to end in test/commissioning/lora-link-check.test.ts.
import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { lorawanAirtimeMs, timeOnAirMs } from '../../src/lora/airtime.js';
import { LoraPath, LoraSendDeferredError } from '../../src/relay/lora-path.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { advance, needs, VirtualModem } from './support.js';
import type { OutboxRow } from '../../src/relay/outbox.js';

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const modem = new VirtualModem(clock, 2000);
  const budget = new LoraBudget();
  const path = new LoraPath({ modem, budget, clock, log: silentLogger });
  return { clock, modem, budget, path };
}

const row = (): OutboxRow => ({ id: 1, kind: 'needs', priority: 1, seq: 1, payload: { kind: 'needs', body: needs(1) }, created: 0, attempts: 0, state: 'pending', path: null, sentAt: null, retryAt: null, confirmed: false });

describe('LoraPath.linkCheck', () => {
  it('joins when needed, books the probe uplink in the budget and returns the answer', async () => {
    const t = setup();
    t.modem.joined = false;
    t.modem.linkAnswer = { ok: true, marginDb: 17, gateways: 2, rssi: -99, snr: 3 };
    const before = t.budget.usedMs(t.clock.now());
    const check = t.path.linkCheck();
    await advance(t.clock, 20_000);
    expect(await check).toEqual({ ok: true, marginDb: 17, gateways: 2, rssi: -99, snr: 3, dr: 5 });
    expect(t.modem.joins).toBe(1);
    expect(t.modem.sent.map((f) => f.port)).toEqual([223]);
    // The join request (23 bytes, at DR5 = SF7 where the virtual modem joins) and the probe (1 payload byte + the
    // LinkCheckReq's CID byte) are both on the books, and nothing else.
    expect(t.budget.usedMs(t.clock.now()) - before).toBeCloseTo(timeOnAirMs(23, { sf: 7 }) + lorawanAirtimeMs(2, 7), 6);
  });

  it('waits for a message of the relay on the air, then checks', async () => {
    const t = setup();
    const sending = t.path.send(row());
    const check = t.path.linkCheck();
    await advance(t.clock, 30_000);
    await sending;
    expect((await check).ok).toBe(true);
    expect(t.modem.sent.map((f) => f.port)).toEqual([3, 223]);
    // The probe started only after the message's 2 s on the air.
    expect(t.modem.sent[1]!.at).toBeGreaterThanOrEqual(t.modem.sent[0]!.at + 2000);
  });

  it('gives up with LoraSendDeferredError when the path stays busy', async () => {
    const t = setup();
    const slow = new VirtualModem(t.clock, 120_000);
    const path = new LoraPath({ modem: slow, budget: t.budget, clock: t.clock, log: silentLogger });
    const sending = path.send(row());
    const check = path.linkCheck(5_000).catch((e: unknown) => e);
    await advance(t.clock, 10_000);
    expect(await check).toBeInstanceOf(LoraSendDeferredError);
    await advance(t.clock, 120_000);
    await sending;
    expect(slow.sent.map((f) => f.port)).toEqual([3]);
  });
});
