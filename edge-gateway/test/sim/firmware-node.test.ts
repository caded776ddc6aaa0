// The real firmware bundles in the simulator: battery and visitors over socat ptys, fuel and charger over
// MQTT to an in-process aedes broker that checks each node's credentials. The gateway side decodes with the real FrameParser
// and decodeMessage, acknowledges, and checks that the firmware's figures follow the simulated world.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { ensureBundles } from '../../../firmware/test/helpers/bundles.js';
import { SystemClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { nodeTopics } from '../../src/protocol/index.js';
import type { Message } from '../../src/protocol/index.js';
import { bundleVersion, missingFirmwareBundles, readFirmwareBundle } from '../../src/sim/firmware/index.js';
import { createSimulation } from '../../src/sim/simulation.js';
import type { Simulation } from '../../src/sim/simulation.js';
import type { WorldTruth } from '../../src/sim/world/world.js';
import { skipWithout } from '../support/externals.js';
import { ack, cmd, MqttGateway, SerialGateway, until } from './gateway-side.js';

const noSocat = skipWithout('socat', 'real firmware in the simulator over a serial pty');
const PASSWORDS: Record<string, string> = { gateway: 'gw-secret', 'fuel-1': 'fuel-secret', 'charger-1': 'charger-secret' };
/** Simulated seconds per real second: a 30 s report period passes in 1 s. */
const SPEED = 30;

type Telemetry<T extends string> = Extract<Message, { type: T }>;

/**
 * Drops retransmissions: a report sent before the gateway end was open is resent about 10 s later,
 * and its figures are then older than the world at its arrival.
 */
function firstSends<M extends Message>(msgs: M[]): M[] {
  let maxSeq = -1;
  return msgs.filter((m) => {
    if (m.seq <= maxSeq) return false;
    maxSeq = m.seq;
    return true;
  });
}

describe.skipIf(noSocat)('real firmware nodes in the simulation', () => {
  let broker: Aedes;
  let server: Server;
  let sim: Simulation;
  let serialGw: SerialGateway;
  let doorGw: SerialGateway;
  let mqttGw: MqttGateway;
  const auth: { user: string | undefined; ok: boolean }[] = [];
  /** World truth at the moment each telemetry message arrived, by node and seq. */
  const truthAt = new Map<string, WorldTruth>();
  let dir: string;
  let brokerUrl = '';
  const log = memoryLogger();

  beforeAll(async () => {
    await ensureBundles();
    broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const ok = username !== undefined && PASSWORDS[username] !== undefined && password?.toString() === PASSWORDS[username];
        auth.push({ user: username, ok });
        if (ok) done(null, true);
        else done(Object.assign(new Error('bad username or password'), { returnCode: 4 as const }), false);
      },
    });
    server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    brokerUrl = url;
    mqttGw = new MqttGateway(await mqtt.connectAsync(url, { clientId: 'gateway', username: 'gateway', password: PASSWORDS.gateway, reconnectPeriod: 0 }));
    await mqttGw.subscribe();
    dir = mkdtempSync(join(tmpdir(), 'ns-fw-sim-'));
    sim = createSimulation({
      clock: new SystemClock(SPEED),
      seed: 3,
      firmware: true,
      // A steady stream of single visitors (no groups), any hour: crossings every few simulated seconds.
      // No phones of their own: the charger test plugs one in where it wants it.
      scenario: {
        visitors: { peakPerHour: 400, hourProfile: new Array<number>(24).fill(1), groupShare: 0, dwellMinMin: 1, dwellMeanMin: 2, chargeShare: 0 },
        phones: { ports: 4 },
      },
      nodes: [
        { id: 'battery-1', kind: 'battery', transport: 'serial' },
        { id: 'visitors-1', kind: 'visitors', transport: 'serial' },
        { id: 'fuel-1', kind: 'fuel', transport: 'mqtt' },
        { id: 'charger-1', kind: 'charger', transport: 'mqtt' },
      ],
      mqtt: { url, credentials: { 'fuel-1': PASSWORDS['fuel-1']!, 'charger-1': PASSWORDS['charger-1']! } },
      serial: { dir },
      log,
    });
    const ports = await sim.start();
    serialGw = await SerialGateway.open(ports.find((p) => p.node === 'battery-1')!.path);
    doorGw = await SerialGateway.open(ports.find((p) => p.node === 'visitors-1')!.path);
    // Ack each telemetry message as the gateway does once stored, and note the world the moment it first
    // arrives: wraps the stand-in gateway's inbox so this runs synchronously with each decoded uplink.
    for (const gw of [serialGw, doorGw, mqttGw]) {
      const push = gw.inbox.push.bind(gw.inbox);
      gw.inbox.push = (text: string) => {
        const before = gw.inbox.messages.length;
        push(text);
        const m = gw.inbox.messages[before];
        if (m === undefined || m.type === 'hb') return;
        const key = `${m.node}/${m.seq}`;
        if (!truthAt.has(key)) truthAt.set(key, sim.truth());
        gw.send(ack(m.node, m.boot, [m.seq]));
      };
    }
  }, 180_000);

  afterAll(async () => {
    await sim?.stop();
    await serialGw?.close();
    await doorGw?.close();
    await mqttGw?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await new Promise<void>((r) => (broker ? broker.close(() => r()) : r()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the bundles, not the stand-ins', () => {
    expect(missingFirmwareBundles(['battery', 'fuel', 'visitors', 'charger'])).toEqual([]);
    expect([...sim.firmwareNodes.keys()].sort()).toEqual(['battery-1', 'charger-1', 'fuel-1', 'visitors-1']);
    expect(sim.nodes.size).toBe(0);
  });

  it('battery over the serial pty: heartbeat with the bundle version, voltage and current that follow the world', async () => {
    const version = bundleVersion(readFirmwareBundle('battery'));
    expect(version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]+$/);
    await until(() => serialGw.inbox.messages.some((m) => m.type === 'hb'), 20_000, 'battery heartbeat');
    const hb = serialGw.inbox.messages.find((m): m is Telemetry<'hb'> => m.type === 'hb')!;
    expect(hb.node).toBe('battery-1');
    expect(hb.body.fw).toBe(version);
    await until(() => serialGw.inbox.messages.filter((m) => m.type === 'battery').length >= 2, 20_000, 'two battery telemetry messages');
    const telemetry = firstSends(serialGw.inbox.messages.filter((m): m is Telemetry<'battery'> => m.type === 'battery'));
    for (const t of telemetry) {
      const truth = truthAt.get(`${t.node}/${t.seq}`)!;
      expect(t.body.status).toBe('ok');
      // Sampled once a second, reported every 30 s, plus sensor noise: close, not equal.
      expect(t.body.v).not.toBeNull();
      expect(Math.abs(t.body.v! - truth.battery.v)).toBeLessThan(0.5);
      expect(Math.abs(t.body.a! - truth.battery.a)).toBeLessThan(0.5);
      expect(Math.abs(t.body.soc! - truth.battery.soc)).toBeLessThan(3);
    }
    expect(serialGw.inbox.errors).toEqual([]);
  }, 45_000);

  it('battery monitor unplugged in the world: the firmware reports a fault, and recovers when it is back', async () => {
    const count = () => serialGw.inbox.messages.filter((m) => m.type === 'battery').length;
    sim.world.setSensorPlugged('battery', false);
    // The report in flight may still hold the last good sample: wait for the one after it.
    const before = count();
    await until(() => count() >= before + 2, 20_000, 'battery reports after unplugging');
    const last = serialGw.inbox.messages.filter((m): m is Telemetry<'battery'> => m.type === 'battery').at(-1)!;
    expect(last.body).toMatchObject({ v: null, a: null, status: 'fault' });
    sim.world.setSensorPlugged('battery', true);
    await until(() => {
      const t = serialGw.inbox.messages.filter((m): m is Telemetry<'battery'> => m.type === 'battery').at(-1)!;
      return t.body.status === 'ok' && t.body.v !== null;
    }, 20_000, 'battery report after replugging');
  }, 45_000);

  it('visitors: world door crossings break the two beams in order, and the firmware counts them', async () => {
    const reports = () => doorGw.inbox.messages.filter((m): m is Telemetry<'visitors'> => m.type === 'visitors');
    await until(() => reports().some((r) => r.body.entries >= 3 && r.body.exits >= 1), 30_000, 'visitors report with entries and exits');
    expect(doorGw.inbox.messages.find((m): m is Telemetry<'hb'> => m.type === 'hb')?.body.fw).toBe(bundleVersion(readFirmwareBundle('visitors')));
    for (const r of firstSends(reports())) {
      const truth = truthAt.get(`${r.node}/${r.seq}`)!;
      // Crossings still walking through the beams (about 2 simulated s each) or not yet reported (≤ 5 s)
      // lag the world; none is invented, and none lost beyond that lag.
      expect(r.body.entries).toBeLessThanOrEqual(truth.visitors.sensedEntries);
      expect(r.body.entries).toBeGreaterThanOrEqual(truth.visitors.sensedEntries - 4);
      expect(r.body.exits).toBeLessThanOrEqual(truth.visitors.sensedExits);
      expect(r.body.exits).toBeGreaterThanOrEqual(truth.visitors.sensedExits - 4);
    }
    expect(doorGw.inbox.errors).toEqual([]);
    expect(sim.firmwareNodes.get('visitors-1')!.errors).toEqual([]);
  }, 45_000);

  it('fuel over MQTT with its own credentials: heartbeat, litres that follow the tank', async () => {
    await until(() => mqttGw.inbox.messages.filter((m) => m.type === 'fuel').length >= 2, 25_000, 'two fuel telemetry messages');
    expect(auth).toContainEqual({ user: 'fuel-1', ok: true });
    expect(auth.filter((a) => !a.ok)).toEqual([]);
    const hb = mqttGw.inbox.messages.find((m): m is Telemetry<'hb'> => m.type === 'hb' && m.node === 'fuel-1');
    expect(hb?.body.fw).toBe(bundleVersion(readFirmwareBundle('fuel')));
    // Birth: the retained `online` a gateway that (re)subscribes later still gets.
    const late = await mqtt.connectAsync(brokerUrl, { clientId: 'gateway-late', username: 'gateway', password: PASSWORDS.gateway, reconnectPeriod: 0 });
    try {
      const retained: string[] = [];
      late.on('message', (topic, payload) => {
        if (topic === nodeTopics.state('fuel-1')) retained.push(payload.toString());
      });
      await late.subscribeAsync(nodeTopics.state('fuel-1'));
      await until(() => retained.length > 0, 5000, 'retained state of fuel-1');
      expect(retained).toEqual(['online']);
    } finally {
      await late.endAsync(true);
    }
    const telemetry = firstSends(mqttGw.inbox.messages.filter((m): m is Telemetry<'fuel'> => m.type === 'fuel'));
    // The first report may come before a full period of samples; all later ones carry a level.
    const withLevel = telemetry.filter((t) => t.body.status === 'ok');
    expect(withLevel.length).toBeGreaterThanOrEqual(1);
    for (const t of withLevel) {
      const truth = truthAt.get(`${t.node}/${t.seq}`)!;
      expect(Math.abs(t.body.litres! - truth.generator.fuelL)).toBeLessThan(0.05 * truth.generator.tankL);
    }
    expect(mqttGw.inbox.errors).toEqual([]);
    const fuel = sim.firmwareNodes.get('fuel-1')!;
    expect(fuel.errors).toEqual([]);
    expect(sim.firmwareNodes.get('battery-1')!.errors).toEqual([]);
  }, 45_000);

  it('charger over MQTT: port commands switch the world relay; the firmware measures the phone it charges', async () => {
    const reports = () => mqttGw.inbox.messages.filter((m): m is Telemetry<'charger'> => m.type === 'charger');
    await until(() => reports().length >= 1, 20_000, 'charger telemetry');
    expect(mqttGw.inbox.messages.find((m): m is Telemetry<'hb'> => m.type === 'hb' && m.node === 'charger-1')?.body.fw).toBe(bundleVersion(readFirmwareBundle('charger')));
    expect(auth).toContainEqual({ user: 'charger-1', ok: true });
    expect(sim.world.plugPhone({ port: 2, level: 0.1, stayMin: 600 })).toBe(2);
    expect(sim.truth().ports[2]!.relayOn).toBe(false);

    const onCmd = cmd('charger-1', { op: 'port', port: 2, on: true });
    mqttGw.send(onCmd);
    await until(() => sim.truth().ports[2]!.relayOn, 10_000, 'world relay of port 2 on');
    await until(() => mqttGw.inbox.messages.some((m) => m.type === 'result' && m.body.cmd === onCmd.seq), 10_000, 'result of the port command');
    expect(mqttGw.inbox.messages.find((m): m is Telemetry<'result'> => m.type === 'result' && m.body.cmd === onCmd.seq)!.body.ok).toBe(true);
    // The report right after switching on may predate the phone's first draw (sensor noise only).
    const charging = () => firstSends(reports()).filter((r) => r.body.ports[2]?.on === true && (r.body.ports[2].mA ?? 0) > 150);
    await until(() => charging().length >= 1, 20_000, 'charger report with port 2 drawing');
    const r = charging().at(-1)!;
    const truth = truthAt.get(`${r.node}/${r.seq}`)!;
    const expectedMa = (truth.ports[2]!.drawW / 5) * 1000;
    expect(expectedMa).toBeGreaterThan(0);
    expect(Math.abs(r.body.ports[2]!.mA! - expectedMa)).toBeLessThan(Math.max(150, 0.15 * expectedMa));
    // Ports the gateway left off stay off, in the firmware and in the world.
    expect(r.body.ports.filter((p) => p.p !== 2).every((p) => !p.on)).toBe(true);
    expect(truth.ports.filter((p) => p.p !== 2).every((p) => !p.relayOn)).toBe(true);

    mqttGw.send(cmd('charger-1', { op: 'port', port: 2, on: false }));
    await until(() => !sim.truth().ports[2]!.relayOn, 10_000, 'world relay of port 2 off');
    expect(sim.firmwareNodes.get('charger-1')!.errors).toEqual([]);
  }, 60_000);
});
