// A whole simulated point: the world plus its nodes, each on its own transport — serial over a pty
// pair (one per node, like one USB serial adapter per node) or MQTT with the node's own credentials.
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { NodeIdSchema } from '../protocol/index.js';
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
import type { WorldTruth } from './world/world.js';
import { World } from './world/world.js';

export interface SimNodeSpec {
  id: string;
  kind: SimNodeKind;
  transport: TransportLink;
  tuning?: AppTuning;
  boot?: number;
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
  const ptys: PtyPair[] = [];
  const ports: SimSerialPort[] = [];
  let started = false;

  async function transportFor(spec: SimNodeSpec, nodeLog: Logger): Promise<NodeTransport> {
    if (spec.transport === 'mqtt') {
      const mqtt = opts.mqtt!;
      return new MqttNodeTransport({ url: mqtt.url, nodeId: spec.id, password: mqtt.credentials[spec.id]!, backoff: mqtt.backoff, log: nodeLog.child('mqtt') });
    }
    const dir = opts.serial?.dir;
    const pair = await createPtyPair(dir ? { gatewayPath: join(dir, `${spec.id}.tty`), nodePath: join(dir, `${spec.id}.node.tty`) } : {});
    ptys.push(pair);
    ports.push({ node: spec.id, kind: spec.kind, path: pair.gatewayPath });
    return new SerialNodeTransport({ path: pair.nodePath, bootNoise: opts.serial?.bootNoise ?? true, log: nodeLog.child('serial') });
  }

  async function stop(): Promise<void> {
    started = false;
    const all = [...nodes.values()];
    nodes.clear();
    await Promise.allSettled(all.map((n) => n.stop()));
    for (const n of all) log.info('node stopped', { node: n.id, unacked: n.unacked, ...n.stats });
    await Promise.allSettled(ptys.splice(0).map((p) => p.close()));
    ports.length = 0;
    world.stop();
  }

  return {
    world,
    nodes,
    async start() {
      if (started) return [...ports];
      started = true;
      world.start();
      try {
        for (const spec of specs) {
          const nodeLog = log.child(spec.id);
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
