// End to end in simulation: a point whose only path is LoRa (no IP at all) registers and matches citizen help;
// its counts travel as fPort 11 frames through the real RAK3172 driver ↔ simulated module on a socat pty ↔
// simulated network server → ChirpStack v4 events on the coordinator's broker → RelayIngest → the monitor's
// point list, where they read exactly as PointStatus.help over MQTT would.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Aedes } from 'aedes';
import { describe, it, expect } from 'vitest';
import { skipWithout } from '../support/externals.js';
import { SystemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { Rak3172Modem } from '../../src/drivers/lora-modem/index.js';
import { startLoraSimulation } from '../../src/sim/lora/index.js';
import { migrate } from '../../src/store/migrations.js';
import { HelpService, HelpStore } from '../../src/help/index.js';
import { CoordinatorMonitor } from '../../src/coordinator/monitor.js';
import { PointBook } from '../../src/coordinator/point-book.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import { RelayIngest } from '../../src/coordinator/lora-ingest.js';
import { startHelpLoraFeed } from '../../src/relay/help-lora.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { Outbox } from '../../src/relay/outbox.js';
import { Relay } from '../../src/relay/relay.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import type { PointStatus } from '../../src/protocol/index.js';

const SKIP = skipWithout('socat', 'help counts over LoRa end-to-end test (LoRa modem on a pty)');
const DEVICE = { devEui: 'ac1f09fffe0a1b2d', joinEui: '0000000000000001', appKey: '3b2a1c0e4f5a6b7c8d9e0f1a2b3c8d7f', name: 'punt-lora-01' };
const APP_ID = '5a6b7c8d-1d3a-4e5f-8a9b-1c2d3e4f0b6f';

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(SKIP)('help counts of a LoRa-only point reach the coordinator (simulation)', () => {
  it('shows a help change at the point in the coordinator’s point list, shaped as over MQTT', async () => {
    const clock = new SystemClock(10);
    const cleanups: (() => Promise<void> | void)[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'help-lora-e2e-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      // The coordinator's broker, ingest and monitor (as coordinator-gateway wires them).
      const broker = await Aedes.createBroker();
      const server = createServer(broker.handle);
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
      cleanups.push(() => new Promise<void>((res) => broker.close(() => server.close(() => res()))));
      const addr = server.address();
      if (!addr || typeof addr === 'string') throw new Error('broker has no port');
      const url = `mqtt://127.0.0.1:${addr.port}`;
      const coordDb = new Database(join(dir, 'coordinator.db'));
      cleanups.push(() => void coordDb.close());
      migrate(coordDb);
      const book = new PointBook(3 * 60_000);
      const monitor = new CoordinatorMonitor({ db: coordDb, book, clock, log: silentLogger });
      const ingest = new RelayIngest({
        url,
        clientId: 'coordinator',
        inbox: new MessageInbox(coordDb),
        clock,
        log: silentLogger,
        sources: { chirpstack: true, ttn: false, ip: false },
        on: { help: (point, help, meta) => monitor.loraHelp(point, help, meta.received, meta.cut) },
      });
      await ingest.start();
      cleanups.push(() => ingest.stop());

      // The point: simulated module + network server, the real driver on the pty, the relay with no IP path.
      const lora = await startLoraSimulation({ device: DEVICE, applicationId: APP_ID, mqtt: { url }, clock, log: silentLogger, module: { seed: 5 } });
      cleanups.push(() => lora.close());
      const modem = new Rak3172Modem({ path: lora.gatewayPath, log: silentLogger });
      await modem.open();
      cleanups.push(() => modem.close());
      await modem.setDataRate(5);
      const pointDb = new Database(join(dir, 'point.db'));
      cleanups.push(() => void pointDb.close());
      migrate(pointDb);
      const help = new HelpService({ store: new HelpStore(pointDb), clock, log: silentLogger, entryLifetimeMs: 72 * 3_600_000, personalRetentionMs: 30 * 86_400_000 });
      const budget = new LoraBudget();
      const path = new LoraPath({ modem, budget, clock, log: silentLogger, join: { attempts: 3, intervalS: 7 } });
      const relay = new Relay({ pointId: DEVICE.name, outbox: new Outbox(pointDb), clock, log: silentLogger, lora: path, budget, tickMs: 1000 });
      const { feed, stop } = startHelpLoraFeed({ relay, lora: { path, budget }, help, clock, log: silentLogger, options: { settleMs: 2_000, minIntervalMs: 60_000 } });
      cleanups.push(stop);
      await path.ensureJoined();
      relay.start();
      cleanups.push(() => relay.stop());
      await until(() => relay.activePath === 'lora', 'the relay on LoRa');

      // The coordinator still holds the status the point sent over MQTT before its IP link went.
      const before: PointStatus = { v: 1, point: DEVICE.name, name: 'Buurthuis', seq: 7, ts: clock.now(), nodes: [], fuel: null, battery: null, visitors: null, charging: null, alarms: [], help: { requests: {}, offers: {}, mostNeeded: [] } };
      book.applyStatus(before, clock.now());

      // 1. Residents ask and offer, staff match a pair: one help frame with the settled counts.
      const contact = { method: 'at-point' as const, note: '' };
      const r1 = help.registerRequest({ category: 'medicine', what: 'insuline ophalen', where: '', urgency: 'urgent', people: 1, contact }, 'resident');
      help.registerRequest({ category: 'water', what: 'water dragen', where: '', urgency: 'normal', people: 3, contact }, 'resident');
      const o1 = help.registerOffer({ category: 'transport', what: 'auto beschikbaar', transport: true, when: '', where: '', contact }, 'resident');
      help.match(o1.id, r1.id);
      const sentAt = clock.now();
      const expected = help.statusAggregate();
      expect(Object.keys(expected.requests).sort()).toEqual(['medicine', 'water']);
      await until(() => monitor.overview()[0]?.help?.via === 'lora', 'the help counts at the coordinator');
      const p = monitor.overview()[0]!;
      expect(p.point).toBe(DEVICE.name);
      expect(p.help?.counts).toEqual(expected);
      expect(p.status?.help).toEqual(expected); // merged into the held status, same shape as over MQTT
      expect(p.status?.seq).toBe(7);
      expect(p.help!.at).toBeGreaterThanOrEqual(sentAt);
      // the modem reports the uplink done after its receive windows, later than the network server publishes it
      await until(() => feed.stats.sent === 1, 'the point to see its frame sent');

      // 2. The matched pair is done: the change arrives after the minimum interval.
      help.setStatus(r1.id, 'done');
      const done = help.statusAggregate();
      expect(done).not.toEqual(expected);
      await until(() => JSON.stringify(monitor.overview()[0]?.status?.help) === JSON.stringify(done), 'the done counts at the coordinator');
      expect(monitor.overview()[0]!.help).toMatchObject({ counts: done, via: 'lora', cut: false });
      await until(() => feed.stats.sent === 2, 'the point to see its second frame sent');
      expect(clock.now() - sentAt).toBeGreaterThanOrEqual(60_000);
      expect(ingest.stats.helps).toBe(2);
      expect(ingest.stats.rejected).toBe(0);
    } finally {
      for (const c of cleanups.reverse()) {
        try {
          await c();
        } catch {
          // best effort: tear down the rest
        }
      }
    }
  }, 90_000);
});
