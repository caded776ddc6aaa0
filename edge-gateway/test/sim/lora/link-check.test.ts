// Link check in the simulation: the simulated RAK3172 puts a LinkCheckReq into the uplink's FOpts after
// AT+LINKCHECK, the simulated network answers with a LinkCheckAns whose margin follows the uplink's SNR
// and data rate, and the module prints +EVT:LINKCHECK. On virtual time through an in-memory port, and
// end to end with the real driver over a pty (socat).
import { describe, it, expect, afterEach } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/log/logger.js';
import { timeOnAirMs } from '../../../src/lora/airtime.js';
import type { SimRak3172Options } from '../../../src/sim/lora/index.js';
import { SimNetworkServer, SimRak3172, demodFloorDb, linkMarginDb, parseDataFrame } from '../../../src/sim/lora/index.js';
import { skipWithout } from '../../support/externals.js';
import { HostPort, loraRig } from './rig.js';
import type { LoraRig } from './rig.js';

const DEV = { devEui: 'ac1f09fffe000003', joinEui: '0000000000000001', appKey: '000102030405060708090a0b0c0d0e0f' };

/** A joined simulated module at `dr`; `air` collects every frame the network heard. */
async function joined(opts: Partial<SimRak3172Options> = {}, dr = 5) {
  const clock = new ManualClock();
  const ns = new SimNetworkServer({ applicationId: 'app', devices: [DEV], clock, log: silentLogger });
  const air: Buffer[] = [];
  const host = new HostPort();
  const network = { uplink: (phy: Buffer, meta: Parameters<SimNetworkServer['uplink']>[1]) => (air.push(phy), ns.uplink(phy, meta)) };
  const sim = new SimRak3172({ path: '/dev/null', createPort: () => host, network, ...DEV, clock, log: silentLogger, joinAcceptDelayMs: 5000, ...opts });
  await sim.open();
  expect(host.at(`AT+DR=${dr}`)).toEqual(['OK']);
  expect(host.at('AT+JOIN=1:0:10:1')).toEqual(['OK']);
  clock.advance(timeOnAirMs(23, { sf: 12 - dr }) + 5000);
  expect(host.lines.at(-1)).toBe('+EVT:JOINED');
  return { clock, ns, host, sim, air };
}

/** Sends one link-check uplink and returns the event lines that followed. */
function linkCheck(m: Awaited<ReturnType<typeof joined>>): string[] {
  expect(m.host.at('AT+LINKCHECK=1')).toEqual(['OK']);
  const from = m.host.lines.length;
  expect(m.host.at('AT+SEND=223:00')).toEqual(['OK']);
  m.clock.advance(15_000);
  return m.host.lines.slice(from + 1);
}

const LINE = /^\+EVT:LINKCHECK:0,(\d+),1,(-?\d+),(-?\d+)$/;

describe('link margin arithmetic', () => {
  it('puts the demodulation floor at −7.5 dB for SF7 … −20 dB for SF12', () => {
    expect([7, 8, 9, 10, 11, 12].map(demodFloorDb)).toEqual([-7.5, -10, -12.5, -15, -17.5, -20]);
    expect(() => demodFloorDb(6)).toThrow(RangeError);
  });

  it('measures the margin above that floor, clamped to 0–254', () => {
    expect(linkMarginDb(5, 0)).toBe(25); // SF12 at +5 dB SNR: 25 dB above the floor
    expect(linkMarginDb(5, 5)).toBe(12); // the same SNR at SF7 leaves 12.5 → 12
    expect(linkMarginDb(-30, 5)).toBe(0);
  });
});

describe('SimRak3172 link check on virtual time', () => {
  it('carries a LinkCheckReq in FOpts and answers with the margin of the simulated link', async () => {
    const m = await joined({ snr: 7, rssi: -88 });
    expect(m.host.at('AT+LINKCHECK=?')).toEqual(['AT+LINKCHECK=0', 'OK']);
    const lines = linkCheck(m);
    expect(lines[0]).toBe('+EVT:TX_DONE');
    const ev = LINE.exec(lines[1] ?? '');
    expect(ev, lines.join(' | ')).not.toBeNull();
    // The uplink SNR is the configured 7 dB ± 1.5 (seeded jitter); SF7's floor is −7.5 dB.
    const margin = Number(ev![1]);
    expect(margin).toBeGreaterThanOrEqual(linkMarginDb(7 - 1.5, 5));
    expect(margin).toBeLessThanOrEqual(linkMarginDb(7 + 1.5, 5));
    expect([Number(ev![2]), Number(ev![3])]).toEqual([-88, 7]);
    // What went on the air: FOpts = [0x02] on the link-check uplink.
    expect(parseDataFrame(m.air.at(-1)!).fOpts).toEqual(Buffer.from([0x02]));
    expect(m.ns.stats.linkChecks).toBe(1);
    // Mode 1 is used up by that uplink: the next one carries no request and prints no result.
    expect(m.host.at('AT+LINKCHECK=?')).toEqual(['AT+LINKCHECK=0', 'OK']);
    const from = m.host.lines.length;
    m.host.at('AT+SEND=1:01');
    m.clock.advance(15_000);
    expect(m.host.lines.slice(from)).toEqual(['OK', '+EVT:TX_DONE']);
    expect(parseDataFrame(m.air.at(-1)!).fOpts.length).toBe(0);
  });

  it('derives the figures from the configured link: a weak SF12 link and a strong SF7 one differ', async () => {
    const weak = await joined({ snr: -16, rssi: -121, seed: 3 }, 0);
    const strong = await joined({ snr: 9, rssi: -70, seed: 3 }, 5);
    const w = LINE.exec(linkCheck(weak)[1] ?? '');
    const s = LINE.exec(linkCheck(strong)[1] ?? '');
    expect(w && s).toBeTruthy();
    // Same seed, so the same jitter: the margins differ by the SNR difference minus the SF12/SF7 floor gap.
    expect(Number(w![1])).toBeLessThanOrEqual(linkMarginDb(-16 + 1.5, 0));
    expect(Number(s![1])).toBeGreaterThanOrEqual(linkMarginDb(9 - 1.5, 5));
    expect(Number(w![2])).toBe(-121);
    expect(Number(s![2])).toBe(-70);
  });

  it('prints 1,0,0,0,0 when the network is unreachable, and again a result once it is back', async () => {
    const m = await joined();
    m.ns.setReachable(false);
    const lines = linkCheck(m);
    expect(lines).toEqual(['+EVT:TX_DONE', '+EVT:LINKCHECK:1,0,0,0,0']);
    expect(m.ns.stats.unheard).toBe(1);
    m.clock.advance(60_000); // past the sub-band off times
    m.ns.setReachable(true);
    expect(linkCheck(m)[1]).toMatch(LINE);
  });

  it('prints the failure for an uplink lost on the air too, in colon spelling for old firmware', async () => {
    const m = await joined({ uplinkLossRate: 1, spelling: 'old' });
    expect(linkCheck(m)).toEqual(['+EVT:TX_DONE', '+EVT:LINKCHECK:1:0:0:0:0']);
  });

  it('mode 2 asks on every uplink; bad modes and an empty payload are refused', async () => {
    const m = await joined();
    expect(m.host.at('AT+LINKCHECK=2')).toEqual(['OK']);
    for (let i = 0; i < 2; i++) {
      const from = m.host.lines.length;
      m.host.at('AT+SEND=1:01');
      m.clock.advance(60_000);
      expect(m.host.lines.slice(from).at(-1)).toMatch(LINE);
    }
    expect(m.sim.stats.linkChecks).toBe(2);
    expect(m.host.at('AT+LINKCHECK=3')).toEqual(['AT_PARAM_ERROR']);
    expect(m.host.at('AT+SEND=1:')).toEqual(['AT_PARAM_ERROR']);
  });
});

const SKIP = skipWithout('socat', 'LoRa link-check pty tests');

describe.skipIf(SKIP)('Rak3172Modem.linkCheck ↔ simulated RAK3172 over a pty', () => {
  const rigs: LoraRig[] = [];
  afterEach(async () => {
    await Promise.all(rigs.splice(0).map((r) => r.close()));
  });

  it('joins, checks the link, and fails cleanly when the network goes away', async () => {
    const r = await loraRig({ sim: { snr: 4, rssi: -101 } });
    rigs.push(r);
    await r.modem.setDataRate(5);
    await expect(r.modem.linkCheck()).rejects.toThrow(/not joined|join/);
    await r.modem.join({ attempts: 1 });
    const ok = await r.modem.linkCheck();
    expect(ok).toMatchObject({ ok: true, gateways: 1, rssi: -101, snr: 4, dr: 5 });
    expect(ok.marginDb).toBeGreaterThanOrEqual(linkMarginDb(4 - 1.5, 5));
    expect(ok.marginDb).toBeLessThanOrEqual(linkMarginDb(4 + 1.5, 5));
    r.ns.setReachable(false);
    // The first check's uplink closed its sub-band; the module picks a channel in another one.
    expect(await r.modem.linkCheck()).toEqual({ ok: false, marginDb: null, gateways: 0, rssi: null, snr: null, dr: 5 });
    expect(r.modem.status()).toMatchObject({ sending: false, joined: true });
  });
});
