// Builds a simulated node of a given kind wired to the world's hardware and a transport.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import type { World } from '../world/world.js';
import type { NodeApp, SimNodeKind } from './app.js';
import { BatteryApp } from './apps/battery.js';
import { ChargerApp } from './apps/charger.js';
import { FuelApp } from './apps/fuel.js';
import { VisitorsApp } from './apps/visitors.js';
import type { ProtocolNodeOptions } from './protocol-node.js';
import { ProtocolNode } from './protocol-node.js';
import type { NodeTransport } from './transport.js';

export interface AppTuning {
  /** Telemetry interval override (clock ms). */
  intervalMs?: number;
  /** Charger only: gateway silence before all ports go off. */
  failsafeMs?: number;
}

export function createNodeApp(kind: SimNodeKind, world: World, tuning: AppTuning = {}): NodeApp {
  const s = world.scenario;
  switch (kind) {
    case 'fuel':
      return new FuelApp({
        sensor: world.hw.fuel,
        tank: { tankL: s.generator.tankL, tankHeightMm: s.sensors.tankHeightMm, mountMm: s.sensors.mountMm, blindMm: s.sensors.blindMm },
        intervalMs: tuning.intervalMs,
      });
    case 'battery':
      return new BatteryApp({ monitor: world.hw.battery, capacityAh: s.battery.capacityAh, intervalMs: tuning.intervalMs });
    case 'visitors':
      return new VisitorsApp({ doors: world.hw.doors, intervalMs: tuning.intervalMs });
    case 'charger':
      return new ChargerApp({ board: world.hw.charger, intervalMs: tuning.intervalMs, failsafeMs: tuning.failsafeMs });
  }
}

export interface CreateSimNodeOptions extends Omit<ProtocolNodeOptions, 'app'> {
  kind: SimNodeKind;
  world: World;
  clock: Clock;
  transport: NodeTransport;
  log?: Logger;
  tuning?: AppTuning;
}

export function createSimNode(opts: CreateSimNodeOptions): ProtocolNode {
  const { kind, world, tuning, ...rest } = opts;
  return new ProtocolNode({ ...rest, app: createNodeApp(kind, world, tuning) });
}
