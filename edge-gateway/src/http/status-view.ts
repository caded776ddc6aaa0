// The data behind `GET /api/status` and the live `status` messages (contract: kiosk-ui/src/lib/api/types.ts).
import type { NodeRegistry, NodeView } from '../core/registry.js';
import type { TelemetryType } from '../core/events.js';
import type { ChargerBody, BatteryBody, FuelBody, VisitorsBody, NodeKind } from '../protocol/index.js';

export interface StatusData {
  point: { id: string; name: string; role: 'point' | 'coordinator' };
  time: number;
  nodes: { id: string; kind: NodeKind; online: boolean; lastSeen: number | null; fw: string | null }[];
  readings: {
    fuel: FuelBody | null;
    battery: Omit<BatteryBody, 'ttgMin'> | null;
    visitors: VisitorsBody | null;
    charger: ChargerBody | null;
  };
  board: { image: string | null; updatedAt: number | null };
}

function current<T extends TelemetryType>(nodes: NodeView[], type: T) {
  for (const n of nodes) {
    const body = n.readings[type]?.body;
    if (body) return body;
  }
  return null;
}

export function buildStatusData(opts: {
  point: { id: string; name: string; role: 'point' | 'coordinator' };
  registry: NodeRegistry | null;
  now: number;
  board: { image: string | null; updatedAt: number | null };
}): StatusData {
  const nodes = opts.registry?.nodes() ?? [];
  const battery = current(nodes, 'battery');
  return {
    point: opts.point,
    time: opts.now,
    nodes: nodes.filter((n) => n.kind !== null).map((n) => ({ id: n.id, kind: n.kind!, online: n.online, lastSeen: n.lastSeen, fw: n.fw })),
    readings: {
      fuel: current(nodes, 'fuel'),
      battery: battery ? { v: battery.v, a: battery.a, soc: battery.soc, status: battery.status } : null,
      visitors: current(nodes, 'visitors'),
      charger: current(nodes, 'charger'),
    },
    board: opts.board,
  };
}
