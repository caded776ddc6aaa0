// The wizard's LoRa step: join, then a link check, both recorded with the verdict against the stated
// thresholds. End to end through the gateway's LoraPath and the real RAK3172 driver, talking over a pty
// (socat) to the simulated module and network; plus the verdict rules and a link check that hangs.
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { LINK_MIN_GATEWAYS, LINK_MIN_MARGIN_DB, linkVerdict } from '../../src/commissioning/lora-link.js';
import type { LoraProbe } from '../../src/commissioning/index.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { linkMarginDb } from '../../src/sim/lora/index.js';
import { skipWithout } from '../support/externals.js';
import { SPEED, loraRig, type LoraRig } from '../sim/lora/rig.js';
import { core, type Core } from './core.js';

const answer = (marginDb: number, gateways = 1) => ({ ok: true, marginDb, gateways, rssi: -100, snr: 0, dr: 5 });

describe('link-check verdict', () => {
  it('passes from 10 dB margin and one gateway, and says why it fails', () => {
    expect([LINK_MIN_MARGIN_DB, LINK_MIN_GATEWAYS]).toEqual([10, 1]);
    expect(linkVerdict(answer(10))).toMatchObject({ pass: true, reason: 'ok' });
    expect(linkVerdict(answer(9))).toMatchObject({ pass: false, reason: 'low-margin' });
    expect(linkVerdict(answer(30, 0))).toMatchObject({ pass: false, reason: 'no-gateway' });
    expect(linkVerdict({ ok: false, marginDb: null, gateways: 0, rssi: null, snr: null, dr: 5 })).toMatchObject({ pass: false, reason: 'no-answer' });
  });
});

describe('commissioning loraCheck', () => {
  let c: Core;
  beforeEach(async () => {
    c = await core();
  });
  afterEach(async () => {
    await c.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('records a link check that never answers as an error, after the join', async () => {
    const probe: LoraProbe = { join: async () => {}, linkCheck: () => new Promise(() => {}), status: () => ({ ready: true }) };
    const svc = c.svc({ lora: probe, loraTimeoutMs: 200 });
    svc.start('tech');
    const m = await svc.loraCheck('tech');
    expect(m).toMatchObject({ step: 'lora', what: 'link check', ok: false, value: { joined: true, answered: false, verdict: 'error', marginDb: null } });
    expect((m.value as { error: string }).error).toMatch(/no result within/);
    expect(svc.current()?.measurements.map((x) => [x.what, x.ok])).toEqual([
      ['join', true],
      ['link check', false],
    ]);
  });

  const SKIP = skipWithout('socat', 'commissioning LoRa link-check tests');

  describe.skipIf(SKIP)('through LoraPath and the RAK3172 driver to the simulated network', () => {
    const rigs: LoraRig[] = [];
    afterEach(async () => {
      await Promise.all(rigs.splice(0).map((r) => r.close()));
    });

    async function probeFor(sim: { snr: number; rssi: number }): Promise<{ rig: LoraRig; probe: LoraProbe }> {
      const rig = await loraRig({ sim });
      rigs.push(rig);
      await rig.modem.setDataRate(5);
      // As point-gateway.ts builds it; the airtime budget on the simulation's accelerated clock.
      const path = new LoraPath({ modem: rig.modem, budget: new LoraBudget(), clock: new SystemClock(SPEED), log: silentLogger, join: { attempts: 1, intervalS: 7 } });
      return { rig, probe: { join: () => path.ensureJoined(), linkCheck: () => path.linkCheck(), status: () => ({ ready: path.ready, ...path.stats }) } };
    }

    it('passes a strong link and records RSSI, SNR, margin and gateways from the network', async () => {
      const { probe } = await probeFor({ snr: 8, rssi: -92 });
      const svc = c.svc({ lora: probe });
      svc.start('tech');
      const m = await svc.loraCheck('tech');
      expect(m).toMatchObject({
        what: 'link check',
        ok: true,
        value: { joined: true, answered: true, rssi: -92, snr: 8, gateways: 1, dr: 5, verdict: 'ok', minMarginDb: 10, minGateways: 1, error: null, rejoins: 1 },
      });
      const margin = (m.value as { marginDb: number }).marginDb;
      expect(margin).toBeGreaterThanOrEqual(linkMarginDb(8 - 1.5, 5));
      expect(margin).toBeLessThanOrEqual(linkMarginDb(8 + 1.5, 5));
      expect(svc.current()?.measurements.map((x) => [x.what, x.ok])).toEqual([
        ['join', true],
        ['link check', true],
      ]);
    });

    it('fails a link with too little margin, and one the network no longer hears', async () => {
      // SNR −1 dB at SF7 is at most 8 dB above the −7.5 dB floor (with the sim's ±1.5 dB jitter).
      const { rig, probe } = await probeFor({ snr: -1, rssi: -117 });
      const svc = c.svc({ lora: probe });
      svc.start('tech');
      const weak = await svc.loraCheck('tech');
      expect(weak).toMatchObject({ ok: false, value: { joined: true, answered: true, verdict: 'low-margin', rssi: -117, snr: -1 } });
      expect((weak.value as { marginDb: number }).marginDb).toBeLessThan(LINK_MIN_MARGIN_DB);
      rig.ns.setReachable(false);
      const gone = await svc.loraCheck('tech');
      expect(gone).toMatchObject({ ok: false, value: { joined: true, answered: false, verdict: 'no-answer', marginDb: null, gateways: 0, error: null } });
    });
  });
});
