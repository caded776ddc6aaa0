// The RAK3172 driver against the simulated module over a real pseudo-terminal (socat): join, send,
// duty-cycle refusal, class A downlink, seeded join failures, and recovery from a hung module.
import { describe, it, expect, afterEach } from 'vitest';
import { skipWithout } from '../../support/externals.js';
import { DutyCycleError, ModemTimeoutError } from '../../../src/drivers/lora-modem/index.js';
import type { Downlink } from '../../../src/drivers/lora-modem/index.js';
import type { UplinkEvent } from '../../../src/sim/lora/index.js';
import { DEVICE, loraRig } from './rig.js';
import type { LoraRig } from './rig.js';

const SKIP = skipWithout('socat', 'LoRa modem pty tests');

const rigs: LoraRig[] = [];
async function rig(...args: Parameters<typeof loraRig>): Promise<LoraRig> {
  const r = await loraRig(...args);
  rigs.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

function nextDownlink(r: LoraRig): Promise<Downlink> {
  return new Promise((resolve) => {
    const off = r.modem.on('downlink', (d) => {
      off();
      resolve(d);
    });
  });
}

describe.skipIf(SKIP)('Rak3172Modem ↔ simulated RAK3172 over a pty', () => {
  it('joins, then sends unconfirmed and confirmed uplinks the network decrypts', async () => {
    const r = await rig();
    const ups: UplinkEvent[] = [];
    r.ns.on('uplink', (e) => ups.push(e));
    expect(r.modem.status()).toMatchObject({ state: 'ready', joined: false });
    await r.modem.setDataRate(5);
    await r.modem.join({ attempts: 1 });
    expect(r.modem.status()).toMatchObject({ state: 'joined', joined: true, dr: 5, maxPayload: 222 });
    expect(await r.modem.send(1, Uint8Array.from([0x41, 0x01, 0x02]))).toEqual({ confirmed: false, dr: 5, bytes: 3 });
    expect(await r.modem.send(2, Uint8Array.from([0x42]), { confirmed: true })).toMatchObject({ confirmed: true });
    expect(ups.map((u) => [u.fPort, u.fCnt, u.confirmed, Buffer.from(u.data, 'base64').toString('hex')])).toEqual([
      [1, 0, false, '410102'],
      [2, 1, true, '42'],
    ]);
  }, 20_000);

  it('refuses an SF12 uplink once every data sub-band is in its duty-cycle off time', async () => {
    const r = await rig();
    await r.modem.setDataRate(5);
    await r.modem.join({ attempts: 1 });
    await r.modem.setDataRate(0);
    // Two 1 % sub-bands carry data channels (868.1–868.5 and the CFList's 867.1–867.9 MHz); a 20-byte
    // SF12 uplink (~1.5 s) closes its sub-band for ~2.5 minutes, so the third uplink at the latest is refused.
    let sent = 0;
    let refusal: unknown = null;
    while (!refusal && sent < 3) {
      await r.modem.send(1, new Uint8Array(20)).then(
        () => sent++,
        (err: unknown) => (refusal = err),
      );
    }
    expect(refusal).toBeInstanceOf(DutyCycleError);
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(2);
    expect(r.sim.stats.dutyCycleRefusals).toBe(1);
    expect(r.modem.status()).toMatchObject({ state: 'joined', sending: false });
  }, 20_000);

  it('delivers a queued downlink in RX1 after the next uplink (class A)', async () => {
    const r = await rig();
    await r.modem.setDataRate(5);
    await r.modem.join({ attempts: 1 });
    r.ns.enqueueDownlink({ devEui: DEVICE.devEui, confirmed: false, fPort: 9, data: Buffer.from([0x40, 0x00]).toString('base64') });
    const down = nextDownlink(r);
    await r.modem.send(1, Uint8Array.from([1]));
    const d = await down;
    expect(d).toMatchObject({ port: 9, window: 'RX_1', multicast: false });
    expect(Buffer.from(d.bytes).toString('hex')).toBe('4000');
    expect(r.modem.status().counters.downlinks).toBe(1);
  }, 20_000);

  it('speaks the older event spelling just as well', async () => {
    const r = await rig({ sim: { spelling: 'old' } });
    await r.modem.setDataRate(5);
    await r.modem.join({ attempts: 1 });
    r.ns.enqueueDownlink({ devEui: DEVICE.devEui, confirmed: false, fPort: 8, data: Buffer.from('hi').toString('base64') });
    const down = nextDownlink(r);
    await r.modem.send(3, Uint8Array.from([7]), { confirmed: true });
    expect(Buffer.from((await down).bytes).toString()).toBe('hi');
  }, 20_000);

  it('joins after seeded join failures when the modem may retry', async () => {
    // With seed 4 and a 50 % failure rate the first three attempts get no join-accept; the modem
    // repeats by itself every 7 s (simulated) and the driver counts the failures without giving up.
    const r = await rig({ sim: { joinFailureRate: 0.5, seed: 4 } });
    await r.modem.setDataRate(5);
    await r.modem.join({ attempts: 8, intervalS: 7, timeoutMs: 15_000 });
    expect(r.sim.stats.joinAttempts).toBe(4);
    expect(r.modem.status().joined).toBe(true);
  }, 20_000);

  it('times out, resets the hung module with ATZ and reports it ready (to join again)', async () => {
    const r = await rig({ modem: { commandTimeoutMs: 400, probeTimeoutMs: 200, resetWaitMs: 300 } });
    await r.modem.setDataRate(5);
    await r.modem.join({ attempts: 1 });
    r.sim.hang('until-reset');
    await expect(r.modem.send(1, Uint8Array.from([1]))).rejects.toBeInstanceOf(ModemTimeoutError);
    const t0 = Date.now();
    while (r.modem.status().state !== 'ready' && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 20));
    expect(r.modem.status()).toMatchObject({ state: 'ready', joined: false, counters: { resets: 1 } });
    expect(r.sim.joined).toBe(false);
    await r.modem.join({ attempts: 1 });
    await r.modem.send(1, Uint8Array.from([2]));
  }, 20_000);
});
