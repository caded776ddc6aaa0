// End to end in simulation: a point whose only path is LoRa (no IP at all) sends its compact status as fPort 1
// frames through the real RAK3172 driver ↔ simulated module on a socat pty ↔ simulated network server →
// ChirpStack v4 events on the coordinator's broker → RelayIngest → the monitor, where the point is online over
// LoRa with its fuel and battery; an alarm goes early; a commissioning link check (fPort 223) is no reject.
import { describe, it, expect } from 'vitest';
import { skipWithout } from '../support/externals.js';
import { until } from '../support/until.js';
import { SystemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { LINK_CHECK_PORT } from '../../src/drivers/lora-modem/index.js';
import { startStatusLoraFeed } from '../../src/relay/status-lora.js';
import { statusReportFromPoint } from '../../src/relay/status-report.js';
import type { StatusReport } from '../../src/relay/messages.js';
import type { PointStatus } from '../../src/protocol/index.js';
import { startLoraOnlySite } from './lora-only-site.js';

const SKIP = skipWithout('socat', 'status over LoRa end-to-end test (LoRa modem on a pty)');
const DEVICE = { devEui: 'ac1f09fffe0a1b2e', joinEui: '0000000000000001', appKey: '4f5a6b7c8d9e0f1a2b3c8d7f3b2a1c0e', name: 'punt-lora-02' };
const APP_ID = '6b7c8d9e-1d3a-4e5f-8a9b-1c2d3e4f0b70';

describe.skipIf(SKIP)('the status of a LoRa-only point reaches the coordinator (simulation)', () => {
  it('shows the point online over LoRa with its fuel and battery, early on an alarm, and ignores a link check', async () => {
    const clock = new SystemClock(10);
    // LoRa statuses go to the coordinator's monitor as coordinator-gateway wires them.
    const site = await startLoraOnlySite({ device: DEVICE, applicationId: APP_ID, clock, seed: 7, handlers: (m) => ({ status: (point, s, path) => path !== 'ip' && m.loraStatus(point, s as StatusReport, clock.now()) }) });
    try {
      const { monitor, ingest, relay, path, modem, budget } = site;
      const lora = site.sim;
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
      const { feed, stop } = startStatusLoraFeed({
        relay,
        lora: { path, budget },
        status: () => statusReportFromPoint(ps, { link: 'ip_down' }),
        clock,
        log: silentLogger,
        options: { minIntervalMs: 60_000, checkMs: 5_000 },
      });
      site.onClose(stop);
      await site.start();

      // 1. On LoRa the first status goes at once: the coordinator has the point online over LoRa.
      await until('the LoRa status at the coordinator', async () => monitor.overview().some((p) => p.point === DEVICE.name && p.lora !== null), 30_000);
      const p = monitor.overview().find((x) => x.point === DEVICE.name)!;
      expect(p).toMatchObject({ online: true, link: 'lora', lora: { fuelPct: 64, batteryPct: 77, batteryV: 25.6, visitorsPresent: 18, alarms: [] } });
      expect(monitor.openAlerts()).toEqual([]);
      await until('the point to see its status sent', async () => feed.stats.sent === 1, 30_000);
      const firstAt = clock.now();

      // 2. The tank runs low: an early status after the minimum interval, not an hour later, and the alert rises.
      ps = { ...ps, fuel: { litres: 20, pct: 8, status: 'ok' } };
      await until('the early status with low fuel', async () => monitor.overview().find((x) => x.point === DEVICE.name)?.lora?.fuelPct === 8, 40_000);
      expect(clock.now() - firstAt).toBeGreaterThanOrEqual(60_000);
      expect(clock.now() - firstAt).toBeLessThan(30 * 60_000);
      expect(monitor.overview().find((x) => x.point === DEVICE.name)!.lora!.alarms).toEqual(['fuel_low']);
      await until('the fuel-low alert', async () => (monitor.tick(), monitor.openAlerts().some((a) => a.rule === 'fuel-low')), 20_000);
      expect(ingest.stats.statuses).toBe(2);

      // 3. A technician's link check at commissioning reaches the coordinator's broker on fPort 223: ignored, not rejected.
      const uplinks: number[] = [];
      lora.network.on('uplink', (u) => uplinks.push(u.fPort));
      const before = { ...ingest.stats };
      const check = await modem.linkCheck();
      expect(check.ok).toBe(true);
      await until('the link-check uplink at the network server', async () => uplinks.includes(LINK_CHECK_PORT), 30_000);
      // The battery runs low too: the early status after it takes the same way (network server → broker → ingest),
      // in order, so once the ingest has it the link-check frame has been handled as well.
      ps = { ...ps, battery: { v: 23.1, soc: 15, a: 4 } };
      await until('the battery-low status at the ingest', async () => ingest.stats.statuses === before.statuses + 1, 40_000);
      expect(monitor.overview().find((x) => x.point === DEVICE.name)!.lora!.alarms).toEqual(['fuel_low', 'battery_low']);
      expect(ingest.stats.rejected).toBe(0);
      // the status and nothing else: the link check was not counted as a relayed message
      expect(ingest.stats.received).toBe(before.received + 1);
      expect(monitor.overview().find((x) => x.point === DEVICE.name)!.online).toBe(true);
    } finally {
      await site.close();
    }
  }, 120_000);
});
