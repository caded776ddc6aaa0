// The point's status as the coordinator sees it, built from the node registry. Values of stale nodes
// are unknown (null) here too, so a coordinator never mistakes a silent sensor for an empty tank.
import type { NodeRegistry, NodeView } from '../core/registry.js';
import type { TelemetryType } from '../core/events.js';
import type { PointStatus } from '../protocol/index.js';

/** Watts drawn by a charging port at 5 V for the measured current. */
const PORT_VOLTS = 5;

export interface PointIdentity {
  id: string;
  name: string;
  location?: { lat: number; lon: number };
}

function firstReading<T extends TelemetryType>(nodes: NodeView[], type: T) {
  for (const n of nodes) {
    const r = n.readings[type];
    if (r?.body) return r.body;
  }
  return null;
}

export type ChargingStats = NonNullable<PointStatus['chargingStats']>;

export type HelpAggregate = NonNullable<PointStatus['help']>;

export function buildPointStatus(point: PointIdentity, registry: NodeRegistry, now: number, seq: number, chargingStats?: ChargingStats, help?: HelpAggregate): PointStatus {
  const nodes = registry.nodes();
  const fuel = firstReading(nodes, 'fuel');
  const battery = firstReading(nodes, 'battery');
  const visitors = firstReading(nodes, 'visitors');
  const charger = firstReading(nodes, 'charger');
  const alarms: string[] = [];
  for (const n of nodes) if (!n.online) alarms.push(`node-offline:${n.id}`);
  if (fuel && fuel.status !== 'ok') alarms.push(`fuel-sensor:${fuel.status}`);
  if (battery?.status === 'fault') alarms.push('battery-sensor:fault');
  if (charger?.failsafe) alarms.push('charger:failsafe');
  for (const p of charger?.ports ?? []) if (p.fault) alarms.push(`charger-port-${p.p}:${p.fault}`);
  const measured = charger?.ports.filter((p) => p.on && p.mA !== null) ?? [];
  return {
    v: 1,
    point: point.id,
    name: point.name,
    seq,
    ts: now,
    nodes: nodes
      .filter((n) => n.kind !== null)
      .map((n) => ({ id: n.id, kind: n.kind!, online: n.online, lastSeen: n.lastSeen })),
    fuel: fuel ? { litres: fuel.litres, pct: fuel.pct, status: fuel.status } : null,
    battery: battery ? { v: battery.v, soc: battery.soc, a: battery.a } : null,
    visitors: visitors ? { inside: visitors.inside, entries: visitors.entries } : null,
    charging: charger
      ? {
          portsOn: charger.ports.filter((p) => p.on).length,
          ports: charger.ports.length,
          watts: measured.length ? Math.round(measured.reduce((s, p) => s + (p.mA ?? 0), 0) * PORT_VOLTS) / 1000 : charger.ports.some((p) => p.on) ? null : 0,
        }
      : null,
    alarms: alarms.slice(0, 32),
    ...(chargingStats ? { chargingStats } : {}),
    ...(help ? { help } : {}),
    ...(point.location ? { location: point.location } : {}),
  };
}
