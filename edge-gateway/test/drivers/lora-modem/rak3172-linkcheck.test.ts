// Rak3172Modem.linkCheck() against AT transcripts (./transcripts/linkcheck-*.txt): AT+LINKCHECK=1, an
// unconfirmed uplink, and the +EVT:LINKCHECK result, on virtual time (ManualClock).
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { ManualClock } from '../../../src/core/clock.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { DutyCycleError, EventParser, ModemBusyError, ModemParamError, ModemTimeoutError, NotJoinedError, Rak3172Modem } from '../../../src/drivers/lora-modem/index.js';
import { ScriptedPort, done, drive, loadTranscript, scriptedFactory } from './scripted-port.js';

const DIR = join(import.meta.dirname, 'transcripts');

async function rig(name: string): Promise<{ modem: Rak3172Modem; port: ScriptedPort; clock: ManualClock }> {
  const port = new ScriptedPort(loadTranscript(join(DIR, name)));
  const clock = new ManualClock();
  const modem = new Rak3172Modem({ path: '/dev/ttyRAK', createPort: scriptedFactory(port), clock, log: memoryLogger('gw:lora:modem') });
  await modem.open();
  return { modem, port, clock };
}

describe('EventParser: +EVT:LINKCHECK', () => {
  it('reads result, margin, gateways, RSSI and SNR with commas or colons', () => {
    const p = new EventParser();
    expect(p.parse('+EVT:LINKCHECK:0,21,1,-60,11')).toEqual({ type: 'linkCheck', ok: true, code: 0, marginDb: 21, gateways: 1, rssi: -60, snr: 11 });
    expect(p.parse('+EVT:LINKCHECK:0:4:2:-118:-9')).toEqual({ type: 'linkCheck', ok: true, code: 0, marginDb: 4, gateways: 2, rssi: -118, snr: -9 });
    expect(p.parse('+EVT:LINKCHECK:1,0,0,0,0')).toMatchObject({ type: 'linkCheck', ok: false, code: 1 });
    expect(p.parse('+EVT:LINKCHECK:1:0:0:0:0')).toMatchObject({ type: 'linkCheck', ok: false, code: 1 });
  });

  it('leaves a malformed link-check line as an unknown event', () => {
    const p = new EventParser();
    expect(p.parse('+EVT:LINKCHECK:0,21,1')).toEqual({ type: 'other', text: 'LINKCHECK:0,21,1' });
    expect(p.parse('+EVT:LINKCHECK:x,1,1,-60,11')).toMatchObject({ type: 'other' });
  });
});

describe('Rak3172Modem.linkCheck on transcripts', () => {
  it('arms the link check, sends one unconfirmed uplink and returns the network figures', async () => {
    const r = await rig('linkcheck-ok.txt');
    const result = await drive(r.clock, r.modem.linkCheck());
    expect(result).toEqual({ ok: true, marginDb: 21, gateways: 1, rssi: -60, snr: 11, dr: 5 });
    expect(r.modem.status()).toMatchObject({ sending: false, counters: { sent: 1 } });
    done(r);
  });

  it('takes the result when it comes before TX_DONE, in colon spelling, after switching confirm mode off', async () => {
    const r = await rig('linkcheck-colons-early.txt');
    expect(await drive(r.clock, r.modem.linkCheck())).toEqual({ ok: true, marginDb: 4, gateways: 2, rssi: -118, snr: -9, dr: 3 });
    done(r);
  });

  it('reports a network that did not answer as a failed result, not an error', async () => {
    const r = await rig('linkcheck-no-answer.txt');
    expect(await drive(r.clock, r.modem.linkCheck())).toEqual({ ok: false, marginDb: null, gateways: 0, rssi: null, snr: null, dr: 5 });
    expect(r.modem.status().lastError).toMatch(/not answered/);
    done(r);
  });

  it('maps a duty-cycle refusal to DutyCycleError and disarms the link check', async () => {
    const r = await rig('linkcheck-duty-cycle.txt');
    await expect(drive(r.clock, r.modem.linkCheck())).rejects.toBeInstanceOf(DutyCycleError);
    expect(r.modem.status().sending).toBe(false);
    done(r);
  });

  it('times out when no link-check event follows the uplink', async () => {
    const r = await rig('linkcheck-silent.txt');
    const t0 = r.clock.now();
    await expect(drive(r.clock, r.modem.linkCheck())).rejects.toBeInstanceOf(ModemTimeoutError);
    // TX_DONE came at once; the driver then waited its grace time, not the whole uplink deadline.
    expect(r.clock.now() - t0).toBeGreaterThanOrEqual(3_000);
    expect(r.clock.now() - t0).toBeLessThan(5_000);
    expect(r.modem.status()).toMatchObject({ sending: false, counters: { timeouts: 1 } });
    done(r);
  });

  it('refuses before writing anything when not joined, or for an empty probe', async () => {
    const r = await rig('linkcheck-not-joined.txt');
    await expect(r.modem.linkCheck()).rejects.toBeInstanceOf(NotJoinedError);
    await expect(r.modem.linkCheck({ bytes: new Uint8Array(0) })).rejects.toBeInstanceOf(ModemParamError);
    await expect(r.modem.linkCheck({ port: 0 })).rejects.toBeInstanceOf(ModemParamError);
    done(r);
  });

  it('shares the one uplink slot with send(): neither starts while the other is in flight', async () => {
    const r = await rig('linkcheck-ok.txt');
    const check = r.modem.linkCheck();
    await expect(r.modem.send(1, Uint8Array.of(1))).rejects.toBeInstanceOf(ModemBusyError);
    await expect(r.modem.linkCheck()).rejects.toBeInstanceOf(ModemBusyError);
    expect(r.modem.status().sending).toBe(true);
    expect((await drive(r.clock, check)).ok).toBe(true);
    done(r);
  });
});
