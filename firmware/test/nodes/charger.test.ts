import { describe, it, expect, beforeAll } from 'vitest';
import { FakeINA3221 } from '../../host/devices/ina3221.js';
import type { EspruinoHost } from '../../host/runtime.js';
import { HostStorage } from '../../host/storage.js';
import { ensureBundles } from '../helpers/bundles.js';
import { bootNode } from '../helpers/gateway.js';
import type { SerialGateway } from '../helpers/gateway.js';
import { loadPinMap } from '../../../hardware/src/pins.js';

const PINS = loadPinMap('charger').pins;
const GATE = [0, 1, 2, 3].map((i) => PINS[`port${i}`]!.gpio);

/** Chips whose channel current follows the MOSFET gate: `load` mA when on (unless stuck). */
function world(host: EspruinoHost, load: number[], stuck: boolean[] = []) {
  const chips = [new FakeINA3221(0.05), new FakeINA3221(0.05)];
  host.i2c.attach(0x40, chips[0]!);
  host.i2c.attach(0x41, chips[1]!);
  const sync = () => {
    for (let i = 0; i < 4; i++) {
      const on = host.pins.outputs.get(GATE[i]!) === true || stuck[i] === true;
      chips[i < 3 ? 0 : 1]!.milliamps[i % 3] = on ? load[i]! : 0;
    }
  };
  host.pins.onOutput(sync);
  return sync;
}

function ports(gw: SerialGateway) {
  return gw.of('charger').at(-1)!.body;
}

describe('charger node (real bundle, virtual time)', () => {
  beforeAll(async () => {
    await ensureBundles();
  }, 120_000);

  it('starts with every port off and reports that true state', () => {
    let sync = () => undefined as void;
    const { host, clock, gw } = bootNode('charger', {}, (h) => (sync = world(h, [1000, 1000, 1000, 1000])));
    sync();
    clock.advance(1000);
    expect(ports(gw)).toEqual({ failsafe: false, ports: [0, 1, 2, 3].map((p) => ({ p, on: false, mA: 0, fault: null })) });
    expect(GATE.map((g) => host.pins.outputs.get(g))).toEqual([false, false, false, false]);
    host.shutdown();
  });

  it('executes port commands and reports currents; a rebooted node comes back with ports off', () => {
    const storage = new HostStorage();
    let sync = () => undefined as void;
    const { host, clock, gw } = bootNode('charger', { storage }, (h) => (sync = world(h, [1800, 500, 900, 2100])));
    const tick = (ms: number) => {
      for (let t = 0; t < ms; t += 250) {
        sync();
        clock.advance(250);
      }
    };
    const c1 = gw.send({ type: 'cmd', node: 'charger', body: { op: 'port', port: 0, on: true } });
    const c2 = gw.send({ type: 'cmd', node: 'charger', body: { op: 'port', port: 3, on: true } });
    const c3 = gw.send({ type: 'cmd', node: 'charger', body: { op: 'port', port: 9, on: true } });
    tick(3000);
    expect(gw.of('result').map((r) => r.body)).toEqual([
      { cmd: c1, ok: true },
      { cmd: c2, ok: true },
      { cmd: c3, ok: false, error: 'no such port' },
    ]);
    expect(ports(gw).ports.map((p) => [p.on, p.mA])).toEqual([
      [true, 1800],
      [false, 0],
      [false, 0],
      [true, 2100],
    ]);
    gw.send({ type: 'cmd', node: 'charger', body: { op: 'reboot' } });
    tick(3000);
    expect(host.reboots.map((r) => r.reason)).toEqual(['command']);
    expect(ports(gw).ports.every((p) => !p.on && p.mA === 0)).toBe(true);
    host.shutdown();
  });

  it('cuts a port off on over-current and latches the fault until commanded again', () => {
    let sync = () => undefined as void;
    const load = [3200, 0, 0, 0];
    const { host, clock, gw } = bootNode('charger', {}, (h) => (sync = world(h, load)));
    const tick = (ms: number) => {
      for (let t = 0; t < ms; t += 250) {
        sync();
        clock.advance(250);
      }
    };
    gw.send({ type: 'cmd', node: 'charger', body: { op: 'port', port: 0, on: true } });
    tick(3000);
    expect(ports(gw).ports[0]).toMatchObject({ on: false, fault: 'overcurrent' });
    expect(host.pins.outputs.get(GATE[0]!)).toBe(false);
    load[0] = 1500; // the phone was swapped
    gw.send({ type: 'cmd', node: 'charger', body: { op: 'port', port: 0, on: true } });
    tick(3000);
    expect(ports(gw).ports[0]).toMatchObject({ on: true, fault: null, mA: 1500 });
    host.shutdown();
  });

  it('switches every port off when the gateway stays silent, and says so', () => {
    let sync = () => undefined as void;
    const { host, clock, gw } = bootNode('charger', {}, (h) => (sync = world(h, [1000, 1000, 1000, 1000])));
    const tick = (ms: number) => {
      for (let t = 0; t < ms; t += 500) {
        sync();
        clock.advance(500);
      }
    };
    for (const p of [0, 1, 2]) gw.send({ type: 'cmd', node: 'charger', body: { op: 'port', port: p, on: true } });
    tick(60_000);
    expect(ports(gw).ports.filter((p) => p.on)).toHaveLength(3);
    gw.acking = false; // the gateway goes silent: no acks, no commands
    tick(125_000);
    expect(ports(gw)).toMatchObject({ failsafe: true });
    expect(ports(gw).ports.every((p) => !p.on)).toBe(true);
    expect(GATE.map((g) => host.pins.outputs.get(g))).toEqual([false, false, false, false]);
    gw.acking = true;
    gw.send({ type: 'cmd', node: 'charger', body: { op: 'ping' } });
    tick(5000);
    expect(ports(gw).failsafe).toBe(false);
    // Ports stay off until the gateway asks again.
    expect(ports(gw).ports.every((p) => !p.on)).toBe(true);
    host.shutdown();
  });

  it('a port drawing current while off is reported stuck-on; a lost sensor turns ports off', () => {
    let sync = () => undefined as void;
    const { host, clock, gw } = bootNode('charger', {}, (h) => (sync = world(h, [900, 900, 900, 900], [false, true])));
    const tick = (ms: number) => {
      for (let t = 0; t < ms; t += 250) {
        sync();
        clock.advance(250);
      }
    };
    gw.send({ type: 'cmd', node: 'charger', body: { op: 'port', port: 3, on: true } });
    tick(2000);
    expect(ports(gw).ports[1]).toMatchObject({ on: false, fault: 'stuck-on' });
    host.i2c.failing.add(0x41); // port 3's INA3221
    tick(2000);
    expect(ports(gw).ports[3]).toMatchObject({ on: false, mA: null, fault: 'sensor' });
    expect(host.errors).toEqual([]);
    host.shutdown();
  });
});
