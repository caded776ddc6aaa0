// End to end in simulation: a point whose only path is LoRa (no IP at all) registers and matches citizen help;
// its counts travel as fPort 11 frames through the real RAK3172 driver ↔ simulated module on a socat pty ↔
// simulated network server → ChirpStack v4 events on the coordinator's broker → RelayIngest → the monitor's
// point list, where they read exactly as PointStatus.help over MQTT would.
import { describe, it, expect } from 'vitest';
import { skipWithout } from '../support/externals.js';
import { until } from '../support/until.js';
import { SystemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { HelpService, HelpStore } from '../../src/help/index.js';
import { startHelpLoraFeed } from '../../src/relay/help-lora.js';
import type { PointStatus } from '../../src/protocol/index.js';
import { startLoraOnlySite } from './lora-only-site.js';

const SKIP = skipWithout('socat', 'help counts over LoRa end-to-end test (LoRa modem on a pty)');
const DEVICE = { devEui: 'ac1f09fffe0a1b2d', joinEui: '0000000000000001', appKey: '3b2a1c0e4f5a6b7c8d9e0f1a2b3c8d7f', name: 'punt-lora-01' };
const APP_ID = '5a6b7c8d-1d3a-4e5f-8a9b-1c2d3e4f0b6f';

describe.skipIf(SKIP)('help counts of a LoRa-only point reach the coordinator (simulation)', () => {
  it('shows a help change at the point in the coordinator’s point list, shaped as over MQTT', async () => {
    const clock = new SystemClock(10);
    // The coordinator's help counts go to its monitor as coordinator-gateway wires them.
    const site = await startLoraOnlySite({ device: DEVICE, applicationId: APP_ID, clock, seed: 5, handlers: (m) => ({ help: (point, help, meta) => m.loraHelp(point, help, meta.received, meta.cut) }) });
    try {
      const { book, monitor, ingest, relay, path, pointDb } = site;
      const help = new HelpService({ store: new HelpStore(pointDb), clock, log: silentLogger, entryLifetimeMs: 72 * 3_600_000, personalRetentionMs: 30 * 86_400_000 });
      const { feed, stop } = startHelpLoraFeed({ relay, lora: { path, budget: site.budget }, help, clock, log: silentLogger, options: { settleMs: 2_000, minIntervalMs: 60_000 } });
      site.onClose(stop);
      await site.start();
      await until('the relay on LoRa', async () => relay.activePath === 'lora', 30_000);

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
      await until('the help counts at the coordinator', async () => monitor.overview()[0]?.help?.via === 'lora', 30_000);
      const p = monitor.overview()[0]!;
      expect(p.point).toBe(DEVICE.name);
      expect(p.help?.counts).toEqual(expected);
      expect(p.status?.help).toEqual(expected); // merged into the held status, same shape as over MQTT
      expect(p.status?.seq).toBe(7);
      expect(p.help!.at).toBeGreaterThanOrEqual(sentAt);
      // the modem reports the uplink done after its receive windows, later than the network server publishes it
      await until('the point to see its frame sent', async () => feed.stats.sent === 1, 30_000);

      // 2. The matched pair is done: the change arrives after the minimum interval.
      help.setStatus(r1.id, 'done');
      const done = help.statusAggregate();
      expect(done).not.toEqual(expected);
      await until('the done counts at the coordinator', async () => JSON.stringify(monitor.overview()[0]?.status?.help) === JSON.stringify(done), 30_000);
      expect(monitor.overview()[0]!.help).toMatchObject({ counts: done, via: 'lora', cut: false });
      await until('the point to see its second frame sent', async () => feed.stats.sent === 2, 30_000);
      expect(clock.now() - sentAt).toBeGreaterThanOrEqual(60_000);
      expect(ingest.stats.helps).toBe(2);
      expect(ingest.stats.rejected).toBe(0);
    } finally {
      await site.close();
    }
  }, 90_000);
});
