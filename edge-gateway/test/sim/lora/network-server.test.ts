// The simulated LoRaWAN network server on real frames built with lora-packet (no radio, no broker):
// OTAA join, MIC and decryption, frame-counter replay protection, class A downlinks and ACKs,
// and the EU868 duty-cycle bookkeeping the simulated modem uses.
import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/log/logger.js';
import type { RejectReason, SessionKeys, UplinkEvent } from '../../../src/sim/lora/index.js';
import {
  DutyCycleTracker,
  EU868_DEFAULT_CHANNELS_HZ,
  SimNetworkServer,
  TTN_CFLIST_CHANNELS_HZ,
  buildDataFrame,
  buildJoinRequest,
  fullCounter,
  openDataFrame,
  openJoinAccept,
  parseDataFrame,
  parseDownlinkCommand,
  sessionKeys,
} from '../../../src/sim/lora/index.js';
import { lorawanAirtimeMs } from '../../../src/lora/airtime.js';

const DEV = { devEui: 'ac1f09fffe000001', joinEui: '0000000000000001', appKey: '2b7e151628aed2a6abf7158809cf4f3c' };
const APP_KEY = Buffer.from(DEV.appKey, 'hex');
const META = { frequencyHz: 868_100_000, dr: 5, rssi: -90, snr: 7 };

function server() {
  const ns = new SimNetworkServer({ applicationId: 'app-1', devices: [DEV], clock: new ManualClock(), log: silentLogger });
  const ups: UplinkEvent[] = [];
  const rejected: RejectReason[] = [];
  ns.on('uplink', (e) => ups.push(e));
  ns.on('rejected', (e) => rejected.push(e.reason));
  return { ns, ups, rejected };
}

function join(ns: SimNetworkServer, devNonce = 1): { devAddr: string; keys: SessionKeys } {
  const accept = ns.uplink(buildJoinRequest({ joinEui: DEV.joinEui, devEui: DEV.devEui, devNonce }, APP_KEY), META);
  if (!accept) throw new Error('no join accept');
  const ja = openJoinAccept(accept, APP_KEY);
  return { devAddr: ja.devAddr, keys: sessionKeys(APP_KEY, ja, devNonce) };
}

const up = (s: { devAddr: string; keys: SessionKeys }, fCnt: number, payload: string, confirmed = false) =>
  buildDataFrame('up', { devAddr: s.devAddr, fCnt, port: 5, payload: Buffer.from(payload), confirmed, ack: false }, s.keys);

describe('SimNetworkServer', () => {
  it('answers a join request with an accept both sides derive the same session keys from', () => {
    const { ns } = server();
    const s = join(ns, 42);
    expect(ns.session(DEV.devEui)?.devAddr).toBe(s.devAddr);
    expect(ns.session(DEV.devEui)?.keys.appSKey.equals(s.keys.appSKey)).toBe(true);
    expect(ns.session(DEV.devEui)?.keys.nwkSKey.equals(s.keys.nwkSKey)).toBe(true);
  });

  it('refuses a join request with a reused DevNonce or a wrong AppKey', () => {
    const { ns, rejected } = server();
    join(ns, 7);
    expect(ns.uplink(buildJoinRequest({ joinEui: DEV.joinEui, devEui: DEV.devEui, devNonce: 7 }, APP_KEY), META)).toBeNull();
    const wrongKey = Buffer.alloc(16, 1);
    expect(ns.uplink(buildJoinRequest({ joinEui: DEV.joinEui, devEui: DEV.devEui, devNonce: 8 }, wrongKey), META)).toBeNull();
    expect(rejected).toEqual(['devnonce-reused', 'join-mic']);
  });

  it('decrypts uplinks and drops a replayed or old frame counter', () => {
    const { ns, ups, rejected } = server();
    const s = join(ns);
    ns.uplink(up(s, 0, 'one'), META);
    ns.uplink(up(s, 1, 'two'), META);
    ns.uplink(up(s, 1, 'two'), META); // replay of the same frame
    ns.uplink(up(s, 0, 'old'), META);
    ns.uplink(up(s, 5, 'gap'), META); // lost frames in between are fine
    expect(ups.map((e) => [e.fCnt, Buffer.from(e.data, 'base64').toString()])).toEqual([
      [0, 'one'],
      [1, 'two'],
      [5, 'gap'],
    ]);
    expect(rejected).toEqual(['replay', 'replay']);
  });

  it('drops a frame whose MIC does not match', () => {
    const { ns, ups, rejected } = server();
    const s = join(ns);
    const frame = up(s, 0, 'tamper');
    frame[frame.length - 6]! ^= 0x01; // flip a payload bit
    expect(ns.uplink(frame, META)).toBeNull();
    expect(ups).toHaveLength(0);
    expect(rejected).toEqual(['mic']);
  });

  it('acks a confirmed uplink and sends a queued downlink after the next uplink only', () => {
    const { ns } = server();
    const s = join(ns);
    const ack = ns.uplink(up(s, 0, 'cfm', true), META);
    expect(ack).not.toBeNull();
    const pAck = parseDataFrame(ack!);
    expect(pAck).toMatchObject({ dir: 'down', ack: true, port: null });
    ns.enqueueDownlink(parseDownlinkCommand({ devEui: DEV.devEui.toUpperCase(), confirmed: false, fPort: 10, data: Buffer.from([0xc1, 0x05]).toString('base64') }));
    const down = ns.uplink(up(s, 1, 'x'), META);
    const p = parseDataFrame(down!);
    expect(p).toMatchObject({ dir: 'down', port: 10, ack: false, fCnt16: 1 });
    expect(openDataFrame(p, fullCounter(p.fCnt16, 0), s.keys).toString('hex')).toBe('c105');
    expect(ns.uplink(up(s, 2, 'y'), META)).toBeNull();
  });

  it('rejects malformed downlink commands', () => {
    expect(() => parseDownlinkCommand({ devEui: 'xyz', fPort: 1, data: '' })).toThrow(/devEui/);
    expect(() => parseDownlinkCommand({ devEui: DEV.devEui, fPort: 0, data: '' })).toThrow(/fPort/);
    expect(() => parseDownlinkCommand({ devEui: DEV.devEui, fPort: 1, data: '***' })).toThrow(/base64/);
  });
});

describe('DutyCycleTracker (EU868)', () => {
  it('closes the whole 868.0–868.6 MHz sub-band for T/1% after a transmission', () => {
    const dc = new DutyCycleTracker();
    const t0 = 1_000_000;
    const airtime = lorawanAirtimeMs(20, 12);
    dc.record(868_100_000, t0, airtime);
    expect(dc.freeChannels(EU868_DEFAULT_CHANNELS_HZ, t0 + airtime)).toEqual([]);
    expect(dc.nextFreeAt(EU868_DEFAULT_CHANNELS_HZ)).toBeCloseTo(t0 + airtime * 100, 6);
    // The CFList channels sit in the 865–868 MHz sub-band, which is still free.
    expect(dc.freeChannels([...EU868_DEFAULT_CHANNELS_HZ, ...TTN_CFLIST_CHANNELS_HZ], t0 + airtime)).toEqual([...TTN_CFLIST_CHANNELS_HZ]);
    expect(dc.freeChannels(EU868_DEFAULT_CHANNELS_HZ, t0 + airtime * 100)).toEqual([...EU868_DEFAULT_CHANNELS_HZ]);
  });
});
