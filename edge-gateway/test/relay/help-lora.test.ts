// When a point sends its help counts over LoRa, on virtual time: the real help service on SQLite, the real
// relay, outbox, LoraPath and budget, a modem double that answers on the clock. Only on the LoRa path,
// only on a change, coalesced, rate-limited, within its share of the airtime, behind every other kind.
import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { describe, it, expect } from 'vitest';
import { ManualClock, SystemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { HELP_MIGRATION, HelpService, HelpStore } from '../../src/help/index.js';
import type { RequestInput, OfferInput } from '../../src/help/schemas.js';
import { lorawanAirtimeMs } from '../../src/lora/airtime.js';
import { decodeFrame } from '../../src/lora/codec/index.js';
import type { HelpMessage } from '../../src/lora/codec/index.js';
import { migrate } from '../../src/store/migrations.js';
import { helpAggregateFromReport } from '../../src/relay/help-report.js';
import { startHelpLoraFeed } from '../../src/relay/help-lora.js';
import type { HelpLoraFeedOptions } from '../../src/relay/help-lora.js';
import { IpPath } from '../../src/relay/ip-path.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { Outbox } from '../../src/relay/outbox.js';
import { Relay } from '../../src/relay/relay.js';
import type { RelayEvents } from '../../src/relay/relay.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { until } from '../support/until.js';
import { advance, emergency, relayDb, VirtualModem } from './support.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const HELP_PORT = 11;

const request = (category: RequestInput['category'], urgency: RequestInput['urgency'] = 'normal'): RequestInput => ({
  category,
  what: 'boodschappen halen',
  where: '',
  urgency,
  people: 1,
  contact: { method: 'at-point', note: '' },
});
const offer = (category: OfferInput['category']): OfferInput => ({ category, what: 'kan rijden', transport: true, when: '', where: '', contact: { method: 'at-point', note: '' } });

function setup(o: { dr?: number; txMs?: number; feed?: Partial<Pick<HelpLoraFeedOptions, 'settleMs' | 'minIntervalMs' | 'dailyShare'>> } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const db = new Database(':memory:');
  migrate(db, [{ ...HELP_MIGRATION, version: 9 }]);
  const help = new HelpService({ store: new HelpStore(db), clock, log: silentLogger, entryLifetimeMs: 72 * HOUR, personalRetentionMs: 30 * 24 * HOUR });
  const modem = new VirtualModem(clock, o.txMs ?? 1500);
  modem.dr = o.dr ?? 0;
  const budget = new LoraBudget();
  const outbox = new Outbox(relayDb());
  const path = new LoraPath({ modem, budget, clock, log: silentLogger });
  const relay = new Relay({ pointId: 'punt-1', outbox, clock, log: silentLogger, lora: path, budget });
  const sent: RelayEvents['sent'][] = [];
  relay.on('sent', (e) => sent.push(e));
  const { feed, stop } = startHelpLoraFeed({ relay, lora: { path, budget }, help, clock, log: silentLogger, ...(o.feed ? { options: o.feed } : {}) });
  const helpFrames = () => modem.sent.filter((f) => f.port === HELP_PORT);
  const lastCounts = () => {
    const f = helpFrames().at(-1);
    if (!f) return null;
    const { kind: _k, ...body } = decodeFrame(f.port, f.bytes) as HelpMessage;
    return helpAggregateFromReport(body);
  };
  return { clock, help, modem, budget, outbox, path, relay, sent, feed, stop, helpFrames, lastCounts };
}

describe('help counts over LoRa: when the point sends them', () => {
  it('sends the counts once they settle, as the MQTT status would carry them, and nothing while they stay the same', async () => {
    const t = setup();
    t.relay.start();
    await advance(t.clock, 5_000, 500);
    expect(t.relay.activePath).toBe('lora');
    expect(t.helpFrames()).toHaveLength(0); // no entries: nothing to tell
    t.help.registerRequest(request('water', 'urgent'), 'resident');
    await advance(t.clock, 20_000, 500);
    expect(t.helpFrames()).toHaveLength(0); // still settling (30 s)
    const o = t.help.registerOffer(offer('transport'), 'resident');
    const r = t.help.registerRequest(request('transport'), 'staff');
    t.help.match(o.id, r.id);
    await advance(t.clock, 30_000, 500);
    expect(t.helpFrames()).toHaveLength(1); // the burst as one frame
    expect(t.lastCounts()).toEqual(t.help.statusAggregate());
    expect(t.outbox.size()).toBe(0); // idempotent like a status: gone once on the air
    await advance(t.clock, 2 * HOUR, 5_000);
    expect(t.helpFrames()).toHaveLength(1);
    t.stop();
  });

  it('waits 15 minutes between frames and coalesces changes meanwhile: the latest counts win', async () => {
    const t = setup({ dr: 5, txMs: 100 });
    t.relay.start();
    t.help.registerRequest(request('food'), 'resident');
    await advance(t.clock, 40_000, 1_000);
    expect(t.helpFrames()).toHaveLength(1);
    const firstAt = t.helpFrames()[0]!.at;
    for (let i = 0; i < 5; i++) {
      t.help.registerRequest(request('water'), 'resident');
      await advance(t.clock, 2 * MIN, 1_000);
    }
    expect(t.helpFrames()).toHaveLength(1);
    await advance(t.clock, 10 * MIN, 1_000);
    expect(t.helpFrames()).toHaveLength(2);
    expect(t.helpFrames()[1]!.at - firstAt).toBeGreaterThanOrEqual(15 * MIN);
    expect(t.helpFrames()[1]!.at - firstAt).toBeLessThan(15 * MIN + 5_000);
    expect(t.lastCounts()?.requests).toEqual({ food: { open: 1, matched: 0, done: 0 }, water: { open: 5, matched: 0, done: 0 } });
    // a change and its undoing within the settling time: nothing new for the coordinator
    const r = t.help.registerRequest(request('care'), 'staff');
    t.help.setStatus(r.id, 'withdrawn');
    await advance(t.clock, 20 * MIN, 5_000);
    expect(t.helpFrames()).toHaveLength(2);
    t.stop();
  });

  it('sends nothing before the relay is on LoRa, and on LoRa only what changed since', async () => {
    const t = setup({ dr: 5, txMs: 100 });
    t.help.registerRequest(request('food'), 'resident');
    await advance(t.clock, 2 * MIN, 1_000);
    expect(t.relay.activePath).toBeNull();
    expect(t.helpFrames()).toHaveLength(0);
    // LoRa becomes the path: the coordinator knows nothing yet, so the counts go once
    t.relay.start();
    await advance(t.clock, 10_000, 500);
    expect(t.helpFrames()).toHaveLength(1);
    expect(t.lastCounts()).toEqual(t.help.statusAggregate());
    t.stop();
  });

  it('stays within its share of the daily airtime (TTN fair use) however often the counts change', async () => {
    // DR0: a 2-category frame (14 bytes) is 1.65 s on air; the routine budget is 30 s − 16.8 s reserve, a quarter of it 3.3 s.
    const t = setup({ dr: 0, txMs: 1500 });
    t.relay.start();
    for (let i = 0; i < 24; i++) {
      t.help.registerRequest(request(i % 2 ? 'water' : 'food'), 'resident');
      await advance(t.clock, 30 * MIN, 10_000);
    }
    const frames = t.helpFrames();
    const airtime = frames.reduce((n, f) => n + lorawanAirtimeMs(f.bytes.length, 12), 0);
    expect(frames).toHaveLength(2); // 24 changes in 12 h, 15 min apart at most 48 frames: the share allows two
    expect(airtime).toBeLessThanOrEqual((t.budget.dailyBudgetMs - t.budget.emergencyReserveMs) * 0.25);
    expect(t.feed.stats.airtimeMs).toBeCloseTo(airtime, 0);
    // a day after the first frame the share frees up and the latest counts go
    await advance(t.clock, 13 * HOUR, 60_000);
    expect(t.helpFrames().length).toBeGreaterThan(frames.length);
    expect(t.lastCounts()).toEqual(t.help.statusAggregate());
    t.stop();
  });

  it('never holds up an emergency: it goes first and finds the reserved sub-band free after a help frame', async () => {
    const t = setup({ dr: 0, txMs: 2000, feed: { settleMs: 0 } });
    t.modem.autoAck = true;
    t.relay.start();
    await advance(t.clock, 2_000, 500);
    // both waiting at once: the emergency first
    t.relay.stop();
    t.help.registerRequest(request('water'), 'resident');
    await advance(t.clock, 1_000, 500);
    const { ref } = t.relay.submitEmergency(emergency());
    t.relay.start();
    // routine traffic then waits until the emergency's sub-band is free again (~2.6 s × 100)
    await advance(t.clock, 6 * MIN, 1_000);
    const ports = t.modem.sent.map((f) => f.port);
    expect(ports.indexOf(2)).toBeGreaterThanOrEqual(0);
    expect(ports.indexOf(2)).toBeLessThan(ports.indexOf(HELP_PORT));
    // right after a help frame silenced its sub-band, an emergency still goes within its own airtime
    await advance(t.clock, 20 * MIN, 10_000);
    t.help.registerRequest(request('food'), 'resident');
    await advance(t.clock, 5_000, 250);
    const helpAt = t.helpFrames().at(-1)!.at;
    expect(t.helpFrames()).toHaveLength(2);
    const second = t.relay.submitEmergency(emergency('Val van trap, Dorpsstraat 3.'));
    const submittedAt = t.clock.now();
    await advance(t.clock, 10_000, 250);
    const e = t.sent.find((s) => s.row.id === second.ref);
    expect(e?.path).toBe('lora');
    expect(e!.at - submittedAt).toBeLessThanOrEqual(2_500);
    expect(submittedAt - helpAt).toBeLessThan(10_000);
    expect(t.sent.find((s) => s.row.id === ref)?.confirmed).toBe(true);
    t.stop();
  });
});

describe('help counts while the IP path is up (aedes broker)', () => {
  it('submits nothing for LoRa, and the pump drops a help row instead of sending it on either path', async () => {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    const url = `mqtt://127.0.0.1:${addr.port}`;
    const clock = new SystemClock(20);
    const db = new Database(':memory:');
    migrate(db, [{ ...HELP_MIGRATION, version: 9 }]);
    const help = new HelpService({ store: new HelpStore(db), clock, log: silentLogger, entryLifetimeMs: 72 * HOUR, personalRetentionMs: 30 * 24 * HOUR });
    const modem = new VirtualModem(clock, 500);
    const budget = new LoraBudget();
    const outbox = new Outbox(relayDb());
    const path = new LoraPath({ modem, budget, clock, log: silentLogger });
    const ip = new IpPath({ url, pointId: 'punt-1', clock, log: silentLogger, ackTimeoutMs: 4000, holdDownMs: 10_000, reconnectPeriodMs: 200 });
    const relay = new Relay({ pointId: 'punt-1', outbox, clock, log: silentLogger, ip, lora: path, budget, tickMs: 500 });
    const { feed, stop } = startHelpLoraFeed({ relay, lora: { path, budget }, help, clock, log: silentLogger, options: { settleMs: 0 } });
    const observer = await mqtt.connectAsync(url, { clientId: 'observer', reconnectPeriod: 0 });
    const seen: string[] = [];
    observer.on('message', (_t, payload) => seen.push(payload.toString()));
    await observer.subscribeAsync('noodsteun/point/+/msg', { qos: 1 });
    try {
      await ip.start();
      await until('the IP path healthy', async () => ip.healthy(), 8000, 10);
      relay.start();
      help.registerRequest(request('water'), 'resident');
      await new Promise((r) => setTimeout(r, 300));
      expect(relay.activePath).toBe('ip');
      expect(feed.stats.submitted).toBe(0);
      // a help row left from a LoRa spell: dropped, the MQTT status carries the counts
      relay.submitHelp({ cut: false, categories: [] });
      await until('the help row dropped', async () => outbox.size() === 0, 5000, 10);
      await new Promise((r) => setTimeout(r, 200));
      expect(modem.sent).toEqual([]);
      expect(seen).toEqual([]);
    } finally {
      stop();
      relay.stop();
      await ip.stop();
      await observer.endAsync();
      await new Promise<void>((res) => broker.close(() => res()));
      await new Promise<void>((res) => server.close(() => res()));
    }
  });
});
