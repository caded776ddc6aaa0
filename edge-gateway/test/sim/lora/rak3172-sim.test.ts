// The simulated RAK3172 on virtual time (ManualClock) through an in-memory port: exact airtime and
// EU868 duty-cycle arithmetic, answers to bad commands, and seeded uplink loss.
import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/log/logger.js';
import { lorawanAirtimeMs, timeOnAirMs } from '../../../src/lora/airtime.js';
import type { SimRak3172Options } from '../../../src/sim/lora/index.js';
import { SimNetworkServer, SimRak3172 } from '../../../src/sim/lora/index.js';
import { HostPort } from './rig.js';

const DEV = { devEui: 'ac1f09fffe000002', joinEui: '0000000000000001', appKey: '000102030405060708090a0b0c0d0e0f' };

async function module(opts: Partial<SimRak3172Options> = {}) {
  const clock = new ManualClock();
  const ns = new SimNetworkServer({ applicationId: 'app', devices: [DEV], clock, log: silentLogger });
  const host = new HostPort();
  const sim = new SimRak3172({ path: '/dev/null', createPort: () => host, network: ns, ...DEV, clock, log: silentLogger, joinAcceptDelayMs: 5000, ...opts });
  await sim.open();
  return { clock, ns, host, sim };
}

async function joined(opts: Partial<SimRak3172Options> = {}) {
  const m = await module(opts);
  expect(m.host.at('AT+DR=5')).toEqual(['OK']);
  expect(m.host.at('AT+JOIN=1:0:10:1')).toEqual(['OK']);
  m.clock.advance(timeOnAirMs(23, { sf: 7 }) + 5000);
  expect(m.host.lines.at(-1)).toBe('+EVT:JOINED');
  return m;
}

describe('SimRak3172 on virtual time', () => {
  it('answers TX_DONE exactly airtime + RX1 delay after the send', async () => {
    const m = await joined();
    expect(m.host.at('AT+SEND=1:0102030405')).toEqual(['OK']);
    const airtime = lorawanAirtimeMs(5, 7);
    m.clock.advance(airtime + 1000 - 1);
    expect(m.host.lines.at(-1)).toBe('OK');
    m.clock.advance(1);
    expect(m.host.lines.at(-1)).toBe('+EVT:TX_DONE');
    expect(m.sim.stats.airtimeMs).toBeCloseTo(timeOnAirMs(23, { sf: 7 }) + airtime, 6);
  });

  it('refuses while every data sub-band is closed and accepts again exactly when one reopens', async () => {
    const m = await joined({ cfListChannelsHz: [] }); // only the 868.0–868.6 MHz sub-band
    const joinEnd = m.clock.now();
    const joinStart = joinEnd - timeOnAirMs(23, { sf: 7 }) - 5000;
    // The join request itself closed the sub-band until joinStart + 100 × its airtime.
    const reopen = joinStart + timeOnAirMs(23, { sf: 7 }) * 100;
    expect(m.host.at('AT+SEND=1:01')).toEqual(['AT_DUTYCYCLE_RESTRICTED']);
    m.clock.advance(Math.ceil(reopen - m.clock.now()));
    expect(m.host.at('AT+SEND=1:01')).toEqual(['OK']);
    expect(m.sim.stats.dutyCycleRefusals).toBe(1);
  });

  it('answers AT_BUSY_ERROR while transmitting and parameter errors for bad sends', async () => {
    const m = await joined({ dutyCycleReply: 'AT_BUSY_ERROR' });
    expect(m.host.at('AT+SEND=1:01')).toEqual(['OK']);
    expect(m.host.at('AT+SEND=1:02')).toEqual(['AT_BUSY_ERROR']);
    expect(m.host.at('AT+SEND=0:02')).toEqual(['AT_PARAM_ERROR']);
    expect(m.host.at('AT+SEND=1:0')).toEqual(['AT_PARAM_ERROR']);
    expect(m.host.at(`AT+SEND=1:${'00'.repeat(223)}`)).toEqual(['AT_PARAM_ERROR']);
    expect(m.host.at('AT+DR=6')).toEqual(['AT_PARAM_ERROR']);
    expect(m.host.at('AT+FOO')).toEqual(['AT_ERROR']);
  });

  it('answers AT_NO_NETWORK_JOINED before a join and after ATZ', async () => {
    const m = await module();
    expect(m.host.at('AT+SEND=1:01')).toEqual(['AT_NO_NETWORK_JOINED']);
    const j = await joined();
    expect(j.host.at('ATZ')).toEqual([]);
    j.clock.advance(200);
    expect(j.host.at('AT+NJS=?')).toEqual(['AT+NJS=0', 'OK']);
  });

  it('loses uplinks at the seeded rate: the network never sees them and a confirmed send fails', async () => {
    const m = await joined({ uplinkLossRate: 1 });
    m.host.at('AT+CFM=1');
    m.host.at('AT+SEND=2:01');
    m.clock.advance(10_000);
    expect(m.host.lines.at(-1)).toBe('+EVT:SEND_CONFIRMED_FAILED(4)');
    expect(m.ns.stats.uplinks).toBe(0);
    expect(m.sim.stats.lostUplinks).toBe(1);
  });

  it('replays the same losses for the same seed', async () => {
    const run = async () => {
      const m = await joined({ uplinkLossRate: 0.5, seed: 99, cfListChannelsHz: [] });
      for (let i = 0; i < 20; i++) {
        m.host.at('AT+SEND=1:01');
        m.clock.advance(10_000);
      }
      return m.ns.stats.uplinks;
    };
    const a = await run();
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThan(20);
    expect(await run()).toBe(a);
  });
});
