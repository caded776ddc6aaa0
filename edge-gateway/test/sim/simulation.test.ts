import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { ManualClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { createSimulation, DEFAULT_SIM_NODES, SimulationConfigError } from '../../src/sim/simulation.js';
import type { Simulation } from '../../src/sim/simulation.js';
import { socatAvailable } from '../../src/sim/pty.js';
import { MqttGateway, SerialGateway } from './gateway-side.js';

const HAS_SOCAT = socatAvailable();
if (!HAS_SOCAT) console.warn('SKIPPED: simulation tests with serial nodes need socat (Debian package "socat"), which is not on PATH');

describe('createSimulation: configuration', () => {
  const clock = new ManualClock();
  it('rejects MQTT nodes without a broker or a password, bad and duplicate ids', () => {
    expect(() => createSimulation({ clock })).toThrow(SimulationConfigError);
    expect(() => createSimulation({ clock, mqtt: { url: 'mqtt://127.0.0.1:1', credentials: { 'visitors-1': 'x' } } })).toThrow(/charger-1.*password/);
    expect(() => createSimulation({ clock, nodes: [{ id: 'Fuel!', kind: 'fuel', transport: 'serial' }] })).toThrow(/invalid node id/);
    const dup = { id: 'fuel-1', kind: 'fuel', transport: 'serial' } as const;
    expect(() => createSimulation({ clock, nodes: [dup, dup] })).toThrow(/duplicate/);
  });

  it('defaults to fuel and battery over serial, visitors and charger over MQTT', () => {
    expect(DEFAULT_SIM_NODES.map((n) => `${n.id}:${n.transport}`)).toEqual(['fuel-1:serial', 'battery-1:serial', 'visitors-1:mqtt', 'charger-1:mqtt']);
  });
});

describe.skipIf(!HAS_SOCAT)('createSimulation: the default point over pty serial and MQTT', () => {
  let sim: Simulation | null = null;
  let server: Server | null = null;
  let broker: Aedes | null = null;
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    await sim?.stop();
    for (const c of cleanups.splice(0).reverse()) await c();
    if (broker) await new Promise<void>((r) => broker!.close(() => r()));
    if (server) await new Promise<void>((r) => server!.close(() => r()));
  });

  it('runs the default nodes; the gateway ends are stable links; stop removes them', async () => {
    const credentials = { 'visitors-1': 'pw-v', 'charger-1': 'pw-c', gateway: 'pw-g' };
    broker = await Aedes.createBroker({
      authenticate: (_c, user, pass, done) =>
        user && (credentials as Record<string, string>)[user] === pass?.toString() ? done(null, true) : done(Object.assign(new Error('denied'), { returnCode: 4 as const }), false),
    });
    server = createServer(broker.handle);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'noodsteun-simtest-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const mqttGw = new MqttGateway(await mqtt.connectAsync(url, { clientId: 'gateway', username: 'gateway', password: 'pw-g', reconnectPeriod: 0 }));
    await mqttGw.subscribe();
    cleanups.push(() => mqttGw.close());

    const clock = new ManualClock(Date.UTC(2026, 0, 1, 9));
    const log = memoryLogger('sim');
    sim = createSimulation({ clock, seed: 11, mqtt: { url, credentials }, serial: { dir }, log });
    const ports = await sim.start();
    expect(ports).toEqual([
      { node: 'fuel-1', kind: 'fuel', path: join(dir, 'fuel-1.tty') },
      { node: 'battery-1', kind: 'battery', path: join(dir, 'battery-1.tty') },
    ]);
    expect(sim.serialPorts()).toEqual(ports);
    expect([...sim.nodes.keys()]).toEqual(['fuel-1', 'battery-1', 'visitors-1', 'charger-1']);

    const fuelGw = await SerialGateway.open(ports[0]!.path);
    cleanups.push(() => fuelGw.close());
    const batteryGw = await SerialGateway.open(ports[1]!.path);
    cleanups.push(() => batteryGw.close());

    clock.advance(30_000);
    const fuel = await fuelGw.inbox.next((m) => m.type === 'fuel');
    if (fuel.type !== 'fuel') throw new Error('unreachable');
    expect(fuel.node).toBe('fuel-1');
    expect(fuel.body.status).toBe('ok');
    expect(fuel.body.litres).toBeCloseTo(sim.truth().generator.fuelL, -1);
    const battery = await batteryGw.inbox.next((m) => m.type === 'battery');
    expect(battery.node).toBe('battery-1');
    await mqttGw.inbox.next((m) => m.node === 'visitors-1' && m.type === 'hb');
    await mqttGw.inbox.next((m) => m.node === 'charger-1' && m.type === 'charger');
    expect(sim.truth().t).toBe(clock.now());
    expect(log.records.filter((r) => r.msg === 'node started')).toHaveLength(4);

    await sim.stop();
    sim = null;
    expect(existsSync(ports[0]!.path)).toBe(false);
    expect(existsSync(ports[1]!.path)).toBe(false);
  });
});
