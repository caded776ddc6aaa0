// The relay over LoRa on virtual time: priorities, the emergency reserve, confirmed uplinks with
// retries, rejoining, duty-cycle refusals, fragmentation and downAck-driven removal.
import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { ConfirmedSendFailedError, DutyCycleError, NotJoinedError } from '../../src/drivers/lora-modem/index.js';
import { decodeFrame, Reassembler } from '../../src/lora/codec/index.js';
import { Outbox } from '../../src/relay/outbox.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { Relay, RelayPayloadError } from '../../src/relay/relay.js';
import type { RelayEvents } from '../../src/relay/relay.js';
import { advance, emergency, LONG_NOTE, needs, relayDb, safe, status, VirtualModem } from './support.js';

function setup(opts: { txMs?: number; dr?: number; loraAckTimeoutMs?: number } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const modem = new VirtualModem(clock, opts.txMs ?? 2000);
  modem.dr = opts.dr ?? 5;
  const budget = new LoraBudget();
  const outbox = new Outbox(relayDb());
  const lora = new LoraPath({ modem, budget, clock, log: silentLogger, busyWaitMs: 200 });
  const relay = new Relay({ pointId: 'punt-1', outbox, clock, log: silentLogger, lora, budget, loraAckTimeoutMs: opts.loraAckTimeoutMs ?? 600_000 });
  const sent: RelayEvents['sent'][] = [];
  const delivered: RelayEvents['delivered'][] = [];
  relay.on('sent', (e) => sent.push(e));
  relay.on('delivered', (e) => delivered.push(e));
  return { clock, modem, budget, outbox, lora, relay, sent, delivered };
}

describe('Relay over LoRa (virtual time)', () => {
  it('sends an emergency submitted behind a backlog as soon as the uplink in progress ends, confirmed', async () => {
    const t = setup({ txMs: 2500, dr: 0 });
    t.modem.autoAck = true;
    for (let i = 0; i < 40; i++) t.relay.submitNeeds(needs(i));
    for (let i = 0; i < 20; i++) t.relay.submitSafe(safe(`Fam. ${i}`));
    t.relay.submitStatus(status());
    t.relay.start();
    await advance(t.clock, 600_000, 250);
    const routineBefore = t.sent.length;
    expect(routineBefore).toBeGreaterThan(0);
    expect(t.outbox.size()).toBeGreaterThan(20); // still a backlog
    const submittedAt = t.clock.now() + 1234;
    await advance(t.clock, 1234, 1234);
    const { ref } = t.relay.submitEmergency(emergency());
    await advance(t.clock, 10_000, 100);
    const e = t.sent.find((s) => s.row.id === ref);
    expect(e).toBeDefined();
    expect(e!.confirmed).toBe(true);
    // at most one uplink in progress (2.5 s) plus its own (2.5 s)
    expect(e!.at - submittedAt).toBeLessThanOrEqual(5000);
    const frame = t.modem.sent.find((f) => f.port === 2);
    expect(frame?.confirmed).toBe(true);
    expect(t.modem.sent.filter((f) => f.port !== 2).every((f) => !f.confirmed)).toBe(true);
  });

  it('retries an emergency the network did not confirm, and keeps routine traffic unconfirmed', async () => {
    const t = setup();
    t.modem.script = (n, confirmed) => (confirmed && n < 2 ? new ConfirmedSendFailedError('no ack', 0) : null);
    const { ref } = t.relay.submitEmergency(emergency());
    t.relay.start();
    await advance(t.clock, 20_000);
    expect(t.modem.sent.filter((f) => f.port === 2)).toHaveLength(3);
    expect(t.lora.stats.confirmedRetries).toBe(2);
    expect(t.sent.find((s) => s.row.id === ref)?.confirmed).toBe(true);
    expect(t.outbox.get(ref)).toMatchObject({ state: 'inflight', path: 'lora', confirmed: true });
  });

  it('rejoins when the modem says it is not joined, and waits when it refuses for duty cycle', async () => {
    const t = setup();
    t.modem.script = (n) => {
      if (n === 0 && t.modem.joins === 0) {
        t.modem.joined = false;
        return new NotJoinedError('AT_NO_NETWORK_JOINED');
      }
      return null;
    };
    const a = t.relay.submitNeeds(needs(5));
    t.relay.start();
    await advance(t.clock, 10_000);
    expect(t.modem.joins).toBe(1);
    expect(t.sent.map((s) => s.row.id)).toContain(a.ref);
    // the join request's airtime is booked on the join sub-band: routine traffic waits for it
    expect(t.budget.usedMs(t.clock.now())).toBeGreaterThan(2 * 50);

    let refused = 0;
    t.modem.script = () => (refused++ === 0 ? new DutyCycleError('AT_DUTYCYCLE_RESTRICTED') : null);
    const b = t.relay.submitSafe(safe());
    await advance(t.clock, 5_000);
    expect(t.sent.map((s) => s.row.id)).not.toContain(b.ref);
    expect(t.lora.stats.dutyCycleRefusals).toBe(1);
    await advance(t.clock, 20_000);
    expect(t.sent.map((s) => s.row.id)).toContain(b.ref);
  });

  it('removes messages on the coordinator downAck and sends unacknowledged ones again', async () => {
    const t = setup({ loraAckTimeoutMs: 60_000 });
    const a = t.relay.submitNeeds(needs(1));
    const b = t.relay.submitNeeds(needs(2));
    t.relay.start();
    await advance(t.clock, 20_000);
    expect(t.modem.sent.filter((f) => f.port === 3)).toHaveLength(2);
    const seqA = t.outbox.get(a.ref)!.seq!;
    const seqB = t.outbox.get(b.ref)!.seq!;
    t.modem.downAck([seqA & 63]);
    await advance(t.clock, 100);
    expect(t.delivered.map((d) => d.row.id)).toEqual([a.ref]);
    expect(t.outbox.rows().map((r) => r.id)).toEqual([b.ref]);
    await advance(t.clock, 300_000);
    // b went again (its downAck never came); a did not
    const ids = t.modem.sent.filter((f) => f.port === 3).map((f) => decodeFrame(f.port, f.bytes)).map((m) => (m.kind === 'needs' ? m.id : -1));
    expect(ids.filter((i) => i === seqA)).toHaveLength(1);
    expect(ids.filter((i) => i === seqB).length).toBeGreaterThan(1);
    // a status has no id to ack: sent once, it is done
    const s = t.relay.submitStatus(status());
    await advance(t.clock, 10_000);
    expect(t.delivered.map((d) => d.row.id)).toContain(s.ref);
  });

  it('fragments a message longer than the data rate allows and confirms every fragment of an emergency', async () => {
    const t = setup({ dr: 0 });
    const note = LONG_NOTE;
    const { ref } = t.relay.submitEmergency(emergency(note));
    t.relay.start();
    await advance(t.clock, 30_000);
    const frames = t.modem.sent;
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.every((f) => f.port === 6 && f.confirmed && f.bytes.length <= 51)).toBe(true);
    const ra = new Reassembler();
    const whole = frames.map((f) => ra.push(f.port, f.bytes)).find((m) => m !== null);
    expect(whole).toMatchObject({ kind: 'emergency', id: t.outbox.get(ref)!.seq, note, type: 'medical' });
    expect(t.sent.find((s) => s.row.id === ref)?.confirmed).toBe(true);
  });
});

describe('Relay.submit', () => {
  it('refuses a report the codec cannot carry, storing nothing', () => {
    const t = setup();
    expect(() => t.relay.submitNeeds({ needs: [{ category: 'unicorns' as 'water', severity: 'high', people: 1 }] })).toThrow(RelayPayloadError);
    expect(() => t.relay.submitNeeds({ needs: [] })).toThrow(RelayPayloadError);
    expect(t.outbox.size()).toBe(0);
    expect(t.relay.submitNeeds(needs(1)).ref).toBeGreaterThan(0);
    expect(t.outbox.size()).toBe(1);
  });
});

describe('Relay over LoRa: lost downAcks', () => {
  it('sends a network-confirmed emergency again when the coordinator ack does not come, so ids never stall', async () => {
    const t = setup({ loraAckTimeoutMs: 60_000 });
    const { ref } = t.relay.submitEmergency(emergency());
    t.relay.start();
    await advance(t.clock, 10_000);
    expect(t.outbox.get(ref)).toMatchObject({ confirmed: true, attempts: 1 });
    await advance(t.clock, 60_000);
    expect(t.outbox.get(ref)?.attempts).toBe(2);
    expect(t.modem.sent.filter((f) => f.port === 2 && f.confirmed)).toHaveLength(2);
    t.modem.downAck([t.outbox.get(ref)!.seq!]);
    await advance(t.clock, 200);
    expect(t.outbox.size()).toBe(0);
  });
});
