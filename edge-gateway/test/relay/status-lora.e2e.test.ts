// End to end in simulation: a point whose only path is LoRa (no IP at all) sends its compact status as fPort 1
// frames through the real RAK3172 driver ↔ simulated module on a socat pty ↔ simulated network server →
// ChirpStack v4 events on the coordinator's broker → RelayIngest → the monitor, where the point is online over
// LoRa with its fuel and battery; an alarm goes early; a commissioning link check (fPort 223) is no reject.
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
import { LINK_CHECK_PORT, Rak3172Modem } from '../../src/drivers/lora-modem/index.js';
import { startLoraSimulation } from '../../src/sim/lora/index.js';
import { migrate } from '../../src/store/migrations.js';
import { CoordinatorMonitor } from '../../src/coordinator/monitor.js';
import { PointBook } from '../../src/coordinator/point-book.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import { RelayIngest } from '../../src/coordinator/lora-ingest.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { Outbox } from '../../src/relay/outbox.js';
import { Relay } from '../../src/relay/relay.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { startStatusLoraFeed } from '../../src/relay/status-lora.js';
import { statusReportFromPoint } from '../../src/relay/status-report.js';
import type { StatusReport } from '../../src/relay/messages.js';
import type { PointStatus } from '../../src/protocol/index.js';

const SKIP = skipWithout('socat', 'status over LoRa end-to-end test (LoRa modem on a pty)');
const DEVICE = { devEui: 'ac1f09fffe0a1b2e', joinEui: '0000000000000001', appKey: '4f5a6b7c8d9e0f1a2b3c8d7f3b2a1c0e', name: 'punt-lora-02' };
const APP_ID = '6b7c8d9e-1d3a-4e5f-8a9b-1c2d3e4f0b70';

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(SKIP)('the status of a LoRa-only point reaches the coordinator (simulation)', () => {
  it('shows the point online over LoRa with its fuel and battery, early on an alarm, and ignores a link check', async () => {
    const clock = new SystemClock(10);
    const cleanups: (() => Promise<void> | void)[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'status-lora-e2e-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      // The coordinator's broker, ingest and monitor, wired as coordinator-gateway does (LoRa statuses → monitor.loraStatus).
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
      const monitor = new CoordinatorMonitor({ db: coordDb, book: new PointBook(3 * 60_000), clock, log: silentLogger });
      const ingest = new RelayIngest({
        url,
        clientId: 'coordinator',
        inbox: new MessageInbox(coordDb),
        clock,
        log: silentLogger,
        sources: { chirpstack: true, ttn: false, ip: false },
        on: { status: (point, s, path) => path !== 'ip' && monitor.loraStatus(point, s as StatusReport, clock.now()) },
      });
      await ingest.start();
      cleanups.push(() => ingest.stop());

      // The point: simulated module + network server, the real driver on the pty, the relay with no IP path.
      const lora = await startLoraSimulation({ device: DEVICE, applicationId: APP_ID, mqtt: { url }, clock, log: silentLogger, module: { seed: 7 } });
      cleanups.push(() => lora.close());
      const modem = new Rak3172Modem({ path: lora.gatewayPath, log: silentLogger });
      await modem.open();
      cleanups.push(() => modem.close());
      await modem.setDataRate(5);
      const pointDb = new Database(join(dir, 'point.db'));
      cleanups.push(() => void pointDb.close());
      migrate(pointDb);
      let ps: PointStatus = {
        v: 1,
        point: DEVICE.name,
        name: 'Sporthal',
        seq: 0,
        ts: 0,
        nodes: [],
        fuel: { litres: 160, pct: 64, status: 'ok' },
        battery: { v: 25.6, soc: 77, a: 4 },
        visitors: { inside: 18, entries: 50 },
        charging: null,
        alarms: [],
      };
      const budget = new LoraBudget();
      const path = new LoraPath({ modem, budget, clock, log: silentLogger, join: { attempts: 3, intervalS: 7 } });
      const relay = new Relay({ pointId: DEVICE.name, outbox: new Outbox(pointDb), clock, log: silentLogger, lora: path, budget, tickMs: 1000 });
      const { feed, stop } = startStatusLoraFeed({
        relay,
        lora: { path, budget },
        status: () => statusReportFromPoint(ps, { link: 'ip_down' }),
        clock,
        log: silentLogger,
        options: { minIntervalMs: 60_000, checkMs: 5_000 },
      });
      cleanups.push(stop);
      await path.ensureJoined();
      relay.start();
      cleanups.push(() => relay.stop());

      // 1. On LoRa the first status goes at once: the coordinator has the point online over LoRa.
      await until(() => monitor.overview().some((p) => p.point === DEVICE.name && p.lora !== null), 'the LoRa status at the coordinator');
      const p = monitor.overview().find((x) => x.point === DEVICE.name)!;
      expect(p).toMatchObject({ online: true, link: 'lora', lora: { fuelPct: 64, batteryPct: 77, batteryV: 25.6, visitorsPresent: 18, alarms: [] } });
      expect(monitor.openAlerts()).toEqual([]);
      await until(() => feed.stats.sent === 1, 'the point to see its status sent');
      const firstAt = clock.now();

      // 2. The tank runs low: an early status after the minimum interval, not an hour later, and the alert rises.
      ps = { ...ps, fuel: { litres: 20, pct: 8, status: 'ok' } };
      await until(() => monitor.overview().find((x) => x.point === DEVICE.name)?.lora?.fuelPct === 8, 'the early status with low fuel', 40_000);
      expect(clock.now() - firstAt).toBeGreaterThanOrEqual(60_000);
      expect(clock.now() - firstAt).toBeLessThan(30 * 60_000);
      expect(monitor.overview().find((x) => x.point === DEVICE.name)!.lora!.alarms).toEqual(['fuel_low']);
      await until(() => (monitor.tick(), monitor.openAlerts().some((a) => a.rule === 'fuel-low')), 'the fuel-low alert', 20_000);
      expect(ingest.stats.statuses).toBe(2);

      // 3. A technician's link check at commissioning reaches the coordinator's broker on fPort 223: ignored, not rejected.
      const uplinks: number[] = [];
      lora.network.on('uplink', (u) => uplinks.push(u.fPort));
      const before = { ...ingest.stats };
      const check = await modem.linkCheck();
      expect(check.ok).toBe(true);
      await until(() => uplinks.includes(LINK_CHECK_PORT), 'the link-check uplink at the network server');
      await new Promise((r) => setTimeout(r, 300)); // the MQTT hop to the ingest
      expect(ingest.stats.rejected).toBe(0);
      expect(ingest.stats.received).toBe(before.received);
      expect(monitor.overview().find((x) => x.point === DEVICE.name)!.online).toBe(true);
    } finally {
      for (const c of cleanups.reverse()) {
        try {
          await c();
        } catch {
          // best effort: tear down the rest
        }
      }
    }
  }, 120_000);
});
