// A whole simulated point: the world plus its nodes, each on its own transport — serial over a pty
// pair (one per node, like one USB serial adapter per node) or MQTT with the node's own credentials.
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage, silentLogger } from '../log/logger.js';
import { NodeIdSchema } from '../protocol/index.js';
import { missingFirmwareBundles } from './firmware/bundles.js';
import { FirmwareSimNode } from './firmware/firmware-node.js';
import type { FirmwareLinkOptions } from './firmware/firmware-node.js';
import type { AppTuning } from './nodes/factory.js';
import { createSimNode } from './nodes/factory.js';
import type { SimNodeKind } from './nodes/app.js';
import { SIM_NODE_KINDS } from './nodes/app.js';
import { MqttNodeTransport } from './nodes/mqtt-transport.js';
import type { ProtocolNode, ProtocolNodeOptions } from './nodes/protocol-node.js';
import { SerialNodeTransport } from './nodes/serial-transport.js';
import type { NodeTransport, TransportLink } from './nodes/transport.js';
import type { PtyPair } from './pty.js';
import { createPtyPair } from './pty.js';
import type { ScenarioInput } from './world/scenario.js';
import { resolveScenario } from './world/scenario.js';
import { startBoardProgrammer } from './firmware/programmer.js';
import type { WorldTruth } from './world/world.js';
import { World } from './world/world.js';

export interface SimNodeSpec {
  id: string;
  kind: SimNodeKind;
  transport: TransportLink;
  tuning?: AppTuning;
  boot?: number;
  /** Real firmware bundle under the Espruino host emulation, or the TypeScript stand-in. Default: SimulationOptions.firmware. */
  impl?: 'firmware' | 'standin';
}

/** Default set for `npm start`: fuel and battery over serial, visitors and charger over MQTT. */
export const DEFAULT_SIM_NODES: readonly SimNodeSpec[] = [
  { id: 'fuel-1', kind: 'fuel', transport: 'serial' },
  { id: 'battery-1', kind: 'battery', transport: 'serial' },
  { id: 'visitors-1', kind: 'visitors', transport: 'mqtt' },
  { id: 'charger-1', kind: 'charger', transport: 'mqtt' },
];

export interface SimulationOptions {
  clock: Clock;
  seed?: number;
  scenario?: ScenarioInput;
  nodes?: readonly SimNodeSpec[];
  /** Required when any node uses MQTT: broker URL and each MQTT node's password (username = node id). */
  mqtt?: { url: string; credentials: Readonly<Record<string, string>>; backoff?: { minMs: number; maxMs: number } };
  /**
   * Serial: with `dir`, the gateway end of node X is the stable link `<dir>/X.tty` (the node end
   * `<dir>/X.node.tty`), so a gateway config can name it in advance; without, a temp dir per pair.
   */
  serial?: { dir?: string; bootNoise?: boolean };
  /**
   * Protocol tuning shared by all nodes. retryWallMs defaults to 1000 here: with an accelerated clock,
   * 5 simulated seconds can pass before an ack has had the real milliseconds it needs to arrive.
   */
  /**
   * Run the real firmware (firmware/dist/<kind>.js) for nodes without their own `impl`. A node whose
   * bundle is missing falls back to the stand-in, with a warning. Stand-in tuning/protocol options do
   * not apply to firmware nodes (their calibration and timing are the firmware's).
   */
  firmware?: boolean | { dist?: string };
  protocol?: Pick<ProtocolNodeOptions, 'heartbeatMs' | 'retryMs' | 'maxRetryMs' | 'retryWallMs' | 'retryBurst' | 'ringSize' | 'rebootGraceMs'>;
  log?: Logger;
}

export interface SimSerialPort {
  node: string;
  kind: SimNodeKind;
  /** Path the gateway opens. */
  path: string;
}

export interface Simulation {
  readonly world: World;
  /** Nodes by id (filled by start()). */
  readonly nodes: ReadonlyMap<string, ProtocolNode>;
  /** Nodes running the real firmware, by id (filled by start()). */
  readonly firmwareNodes: ReadonlyMap<string, FirmwareSimNode>;
  /** Starts world and nodes; resolves with the gateway-side serial paths. */
  start(): Promise<SimSerialPort[]>;
  stop(): Promise<void>;
  serialPorts(): SimSerialPort[];
  truth(): WorldTruth;
}

export class SimulationConfigError extends Error {
  override name = 'SimulationConfigError';
}

function validate(opts: SimulationOptions): readonly SimNodeSpec[] {
  const specs = opts.nodes ?? DEFAULT_SIM_NODES;
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!NodeIdSchema.safeParse(spec.id).success) throw new SimulationConfigError(`invalid node id '${spec.id}'`);
    if (seen.has(spec.id)) throw new SimulationConfigError(`duplicate node id '${spec.id}'`);
    seen.add(spec.id);
    if (!SIM_NODE_KINDS.includes(spec.kind)) throw new SimulationConfigError(`node '${spec.id}': unknown kind '${String(spec.kind)}'`);
    if (spec.transport === 'mqtt') {
      if (!opts.mqtt) throw new SimulationConfigError(`node '${spec.id}' uses MQTT but no mqtt.url was given`);
      if (opts.mqtt.credentials[spec.id] === undefined) throw new SimulationConfigError(`node '${spec.id}': no MQTT password in mqtt.credentials`);
    } else if (spec.transport !== 'serial') {
      throw new SimulationConfigError(`node '${spec.id}': unknown transport '${String(spec.transport)}'`);
    }
  }
  return specs;
}

export function createSimulation(opts: SimulationOptions): Simulation {
  const specs = validate(opts);
  const log = opts.log ?? silentLogger;
  const world = new World(opts.clock, { seed: opts.seed ?? 1, scenario: opts.scenario, log: log.child('world') });
  const nodes = new Map<string, ProtocolNode>();
  const firmwareNodes = new Map<string, FirmwareSimNode>();
  const firmwareDist = typeof opts.firmware === 'object' ? opts.firmware.dist : undefined;
  const ptys: PtyPair[] = [];
  /** Programming sockets of the serial firmware boards (see firmware/programmer.ts). */
  const programmers: { close(): Promise<void> }[] = [];
  const firmwareScenario = resolveScenario(opts.scenario).firmware;
  const ports: SimSerialPort[] = [];
  let started = false;

  async function transportFor(spec: SimNodeSpec, nodeLog: Logger): Promise<NodeTransport> {
    if (spec.transport === 'mqtt') {
      const mqtt = opts.mqtt!;
      return new MqttNodeTransport({ url: mqtt.url, nodeId: spec.id, password: mqtt.credentials[spec.id]!, backoff: mqtt.backoff, log: nodeLog.child('mqtt') });
    }
    const nodePath = await serialPair(spec);
    return new SerialNodeTransport({ path: nodePath, bootNoise: opts.serial?.bootNoise ?? true, log: nodeLog.child('serial') });
  }

  /** Makes the node's pty pair; returns the node end. */
  async function serialPair(spec: SimNodeSpec): Promise<string> {
    const dir = opts.serial?.dir;
    const pair = await createPtyPair(dir ? { gatewayPath: join(dir, `${spec.id}.tty`), nodePath: join(dir, `${spec.id}.node.tty`) } : {});
    ptys.push(pair);
    ports.push({ node: spec.id, kind: spec.kind, path: pair.gatewayPath });
    return pair.nodePath;
  }

  function wantsFirmware(spec: SimNodeSpec): boolean {
    const impl = spec.impl ?? (opts.firmware ? 'firmware' : 'standin');
    if (impl !== 'firmware') return false;
    if (missingFirmwareBundles([spec.kind], firmwareDist).length === 0) return true;
    log.warn(`no firmware bundle for '${spec.kind}' (npm run build -w firmware): node '${spec.id}' runs the stand-in`, { node: spec.id });
    return false;
  }

  async function firmwareNodeFor(spec: SimNodeSpec, nodeLog: Logger): Promise<FirmwareSimNode> {
    let link: FirmwareLinkOptions;
    if (spec.transport === 'mqtt') {
      const mqtt = opts.mqtt!;
      const url = new URL(mqtt.url);
      link = { kind: 'mqtt', host: url.hostname, port: Number(url.port || 1883), username: spec.id, password: mqtt.credentials[spec.id]! };
    } else {
      link = { kind: 'serial', path: await serialPair(spec) };
    }
    const outdated = firmwareScenario.outdated.includes(spec.id) ? { firmwareVersion: firmwareScenario.outdatedVersion } : {};
    const node = new FirmwareSimNode({ id: spec.id, kind: spec.kind, world, clock: opts.clock, link, dist: firmwareDist, boot: spec.boot, seed: (opts.seed ?? 1) + firmwareNodes.size, log: nodeLog, ...outdated });
    if (link.kind === 'serial') {
      try {
        programmers.push(await startBoardProgrammer(node, ports.at(-1)!.path, { dist: firmwareDist, log: nodeLog.child('programmer') }));
      } catch (err) {
        // Only the wizard's Flash button needs it (e.g. a socket path over the 107-byte limit): the node still runs.
        log.warn(`node '${spec.id}': no programming socket, the wizard cannot flash it`, { node: spec.id, error: errorMessage(err) });
      }
    }
    return node;
  }

  async function stop(): Promise<void> {
    started = false;
    const all = [...nodes.values()];
    nodes.clear();
    const fw = [...firmwareNodes.values()];
    firmwareNodes.clear();
    await Promise.allSettled([...all, ...fw].map((n) => n.stop()));
    for (const n of fw) log.info('firmware node stopped', { node: n.id, errors: n.errors.length, reboots: n.host.reboots.length });
    for (const n of all) log.info('node stopped', { node: n.id, unacked: n.unacked, ...n.stats });
    await Promise.allSettled(programmers.splice(0).map((p) => p.close()));
    await Promise.allSettled(ptys.splice(0).map((p) => p.close()));
    ports.length = 0;
    world.stop();
  }

  return {
    world,
    nodes,
    firmwareNodes,
    async start() {
      if (started) return [...ports];
      started = true;
      world.start();
      try {
        for (const spec of specs) {
          const nodeLog = log.child(spec.id);
          if (wantsFirmware(spec)) {
            const fwNode = await firmwareNodeFor(spec, nodeLog);
            firmwareNodes.set(spec.id, fwNode);
            await fwNode.start();
            log.info('node started', { node: spec.id, kind: spec.kind, link: spec.transport, firmware: fwNode.firmware ?? 'unknown' });
            continue;
          }
          const transport = await transportFor(spec, nodeLog);
          const node = createSimNode({ id: spec.id, kind: spec.kind, world, clock: opts.clock, transport, log: nodeLog, tuning: spec.tuning, boot: spec.boot, retryWallMs: 1000, ...opts.protocol });
          nodes.set(spec.id, node);
          await node.start();
          log.info('node started', { node: spec.id, kind: spec.kind, link: spec.transport });
        }
      } catch (err) {
        await stop();
        throw err;
      }
      return [...ports];
    },
    stop,
    serialPorts: () => [...ports],
    truth: () => world.truth(),
  };
}
