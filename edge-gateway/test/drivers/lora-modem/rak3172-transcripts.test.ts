// Rak3172Modem against recorded AT transcripts (./transcripts/*.txt, grammar sources in each file).
// Virtual time (ManualClock) drives command, completion and recovery deadlines.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { ManualClock } from '../../../src/core/clock.js';
import { memoryLogger } from '../../../src/log/logger.js';
import type { Downlink, ModemStatus } from '../../../src/drivers/lora-modem/index.js';
import {
  ConfirmedSendFailedError,
  DutyCycleError,
  JoinFailedError,
  ModemBusyError,
  ModemDownError,
  ModemParamError,
  ModemTimeoutError,
  NotJoinedError,
  PayloadTooLargeError,
  Rak3172Modem,
} from '../../../src/drivers/lora-modem/index.js';
import type { PortFactory } from '../../../src/links/serial/port.js';
import { ScriptedPort, done, drive, loadTranscript, scriptedFactory } from './scripted-port.js';

const DIR = join(import.meta.dirname, 'transcripts');

interface Rig {
  modem: Rak3172Modem;
  port: ScriptedPort;
  clock: ManualClock;
  downlinks: Downlink[];
  states: ModemStatus['state'][];
}

async function rig(name: string, replugName?: string): Promise<Rig> {
  const port = new ScriptedPort(loadTranscript(join(DIR, name)));
  const ports = [port, ...(replugName ? [new ScriptedPort(loadTranscript(join(DIR, replugName)))] : [])];
  const clock = new ManualClock();
  const createPort: PortFactory = (o) => {
    const next = ports.shift();
    if (!next) throw new Error(`no device at ${o.path}`);
    return scriptedFactory(next)(o);
  };
  const modem = new Rak3172Modem({ path: '/dev/ttyRAK', createPort, clock, log: memoryLogger('gw:lora:modem') });
  const downlinks: Downlink[] = [];
  const states: ModemStatus['state'][] = [];
  modem.on('downlink', (d) => downlinks.push(d));
  modem.on('status', (s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  await modem.open();
  return { modem, port, clock, downlinks, states };
}

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('Rak3172Modem on recorded transcripts', () => {
  it('reads join state, data rate and confirm mode when opened', async () => {
    const r = await rig('join-ok.txt');
    expect(r.modem.status()).toMatchObject({ state: 'ready', joined: false, dr: 0, maxPayload: 51 });
    await drive(r.clock, r.modem.join());
    expect(r.modem.status()).toMatchObject({ state: 'joined', joined: true });
    done(r);
  });

  it('rejects a join whose attempts all failed, and joins on a retry the modem repeats itself', async () => {
    const r = await rig('join-failed-retried.txt');
    await expect(drive(r.clock, r.modem.join({ attempts: 1 }))).rejects.toBeInstanceOf(JoinFailedError);
    expect(r.modem.status().joined).toBe(false);
    await drive(r.clock, r.modem.join({ attempts: 2 }));
    expect(r.modem.status().joined).toBe(true);
    expect(r.states).toEqual(['ready', 'joining', 'ready', 'joining', 'joined']);
    done(r);
  });

  it('resolves an unconfirmed send on TX_DONE', async () => {
    const r = await rig('send-unconfirmed.txt');
    const result = await drive(r.clock, r.modem.send(1, bytes('40a1b2c3')));
    expect(result).toEqual({ confirmed: false, dr: 5, bytes: 4 });
    expect(r.modem.status().counters.sent).toBe(1);
    done(r);
  });

  it('refuses a second send while one is in flight, without writing it', async () => {
    const r = await rig('send-unconfirmed.txt');
    const first = r.modem.send(1, bytes('40a1b2c3'));
    await expect(r.modem.send(1, bytes('ff'))).rejects.toBeInstanceOf(ModemBusyError);
    expect(r.modem.status().sending).toBe(true);
    await drive(r.clock, first);
    expect(r.modem.status().sending).toBe(false);
    done(r);
  });

  it('sets AT+CFM=1 and resolves a confirmed send on SEND_CONFIRMED_OK', async () => {
    const r = await rig('send-confirmed-ok.txt');
    expect(await drive(r.clock, r.modem.send(2, bytes('4281'), { confirmed: true }))).toMatchObject({ confirmed: true });
    done(r);
  });

  it('rejects a confirmed send without ACK with the firmware code', async () => {
    const r = await rig('send-confirmed-failed.txt');
    const err = await drive(r.clock, r.modem.send(2, bytes('4281'), { confirmed: true })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfirmedSendFailedError);
    expect((err as ConfirmedSendFailedError).code).toBe(4);
    expect(r.modem.status().counters.confirmedFailed).toBe(1);
    done(r);
  });

  it.each([
    ['busy.txt', ModemBusyError],
    ['not-joined.txt', NotJoinedError],
    ['duty-cycle.txt', DutyCycleError],
  ] as const)('maps the status of %s to a typed error', async (file, type) => {
    const r = await rig(file);
    await expect(drive(r.clock, r.modem.send(1, bytes('40a1')))).rejects.toBeInstanceOf(type);
    expect(r.modem.status().sending).toBe(false);
    done(r);
  });

  it('forgets the session when the modem says it is not joined', async () => {
    const r = await rig('not-joined.txt');
    expect(r.modem.status().joined).toBe(true);
    await drive(r.clock, r.modem.send(1, bytes('40a1'))).catch(() => {});
    expect(r.modem.status()).toMatchObject({ joined: false, state: 'ready' });
    done(r);
  });

  it('maps AT_PARAM_ERROR to ModemParamError', async () => {
    const r = await rig('param-error.txt');
    await expect(drive(r.clock, r.modem.send(1, bytes('4000112233445566778899aabbccddeeff')))).rejects.toBeInstanceOf(ModemParamError);
    done(r);
  });

  it('refuses a payload over the data rate limit before writing anything', async () => {
    const r = await rig('join-ok.txt'); // opened at DR0: 51 bytes
    const before = r.port.written.length;
    const err = await r.modem.send(1, new Uint8Array(52)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err).toMatchObject({ bytes: 52, max: 51, dr: 0 });
    expect(r.port.written.length).toBe(before);
    await expect(r.modem.send(0, new Uint8Array(1))).rejects.toBeInstanceOf(ModemParamError);
  });

  it('emits a class A downlink in the new single-line form', async () => {
    const r = await rig('downlink.txt');
    await drive(r.clock, r.modem.send(1, bytes('40a1')));
    expect(r.downlinks).toHaveLength(1);
    expect(r.downlinks[0]).toMatchObject({ port: 10, rssi: -70, snr: 8, window: 'RX_1', multicast: false });
    expect(Buffer.from(r.downlinks[0]!.bytes).toString('hex')).toBe('c105');
    done(r);
  });

  it('understands the older spellings: JOIN FAILED, SEND CONFIRMED OK/FAILED, three-line RX', async () => {
    const r = await rig('old-spelling.txt');
    expect(r.modem.status().dr).toBe(3);
    await drive(r.clock, r.modem.join({ attempts: 2 }));
    expect(r.modem.status().joined).toBe(true);
    await drive(r.clock, r.modem.send(2, bytes('1234'), { confirmed: true }));
    expect(r.downlinks).toHaveLength(1);
    expect(r.downlinks[0]).toMatchObject({ port: 3, rssi: -52, snr: 9, window: 'RX_1' });
    expect(Buffer.from(r.downlinks[0]!.bytes).toString('hex')).toBe('4321');
    const err = await drive(r.clock, r.modem.send(2, bytes('1234'), { confirmed: true })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfirmedSendFailedError);
    expect((err as ConfirmedSendFailedError).code).toBeNull();
    done(r);
  });

  it('probes, resets with ATZ and comes back when the modem stops answering', async () => {
    const r = await rig('silent-recovery.txt');
    await expect(drive(r.clock, r.modem.send(1, bytes('40a1')))).rejects.toBeInstanceOf(ModemTimeoutError);
    await drive(r.clock, waitForState(r, 'ready'));
    expect(r.states).toEqual(['joined', 'recovering', 'ready']);
    expect(r.modem.status()).toMatchObject({ joined: false, counters: { resets: 1, timeouts: 1 } });
    done(r);
  });

  it('reports the modem down when a reset does not help, then probes until it answers', async () => {
    const r = await rig('silent-down.txt');
    await expect(drive(r.clock, r.modem.send(1, bytes('40a1')))).rejects.toBeInstanceOf(ModemTimeoutError);
    await drive(r.clock, waitForState(r, 'down'));
    await expect(r.modem.send(1, bytes('40a1'))).rejects.toBeInstanceOf(ModemDownError);
    await drive(r.clock, waitForState(r, 'ready'));
    expect(r.states).toEqual(['joined', 'recovering', 'down', 'ready']);
    done(r);
  });
});

describe('Rak3172Modem when the serial device goes away', () => {
  it('fails the send in flight, reports down, and reopens the port with backoff', async () => {
    const r = await rig('send-unconfirmed.txt', 'replug.txt');
    const sending = r.modem.send(1, bytes('40a1b2c3'), { timeoutMs: 60_000 });
    // Unplugged before the completion event: the port closes under the driver.
    r.port.removeAllListeners('data');
    r.port.close();
    await expect(drive(r.clock, sending)).rejects.toBeInstanceOf(ModemDownError);
    expect(r.modem.status().state).toBe('down');
    await drive(r.clock, waitForState(r, 'ready'));
    expect(r.states).toEqual(['joined', 'down', 'ready']);
    expect(r.modem.status()).toMatchObject({ joined: false, dr: 0 });
  });
});

function waitForState(r: Rig, state: ModemStatus['state']): Promise<void> {
  if (r.modem.status().state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const off = r.modem.on('status', (s) => {
      if (s.state !== state) return;
      off();
      resolve();
    });
  });
}
