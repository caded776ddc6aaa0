// Numeric series folded into hourly aggregates, per message type. Unknown values (null) are skipped:
// an hour of "sensor blind" must not average in as 0 litres.
import type { BatteryBody, ChargerBody, FuelBody, HeartbeatBody, VisitorsBody } from '../protocol/index.js';

export type MetricValues = Array<[metric: string, value: number | null | undefined]>;

export function metricsOf(type: string, body: unknown): MetricValues {
  switch (type) {
    case 'fuel': {
      const b = body as FuelBody;
      return [['litres', b.litres], ['pct', b.pct], ['rawMm', b.rawMm]];
    }
    case 'battery': {
      const b = body as BatteryBody;
      return [['v', b.v], ['a', b.a], ['soc', b.soc], ['ttgMin', b.ttgMin]];
    }
    case 'visitors': {
      const b = body as VisitorsBody;
      return [['entries', b.entries], ['exits', b.exits], ['inside', b.inside]];
    }
    case 'charger': {
      const b = body as ChargerBody;
      const known = b.ports.filter((p) => p.mA !== null);
      return [
        ['portsOn', b.ports.filter((p) => p.on).length],
        ['faults', b.ports.filter((p) => p.fault !== null).length],
        // Total only when every port reports: a partial sum would read as a load drop.
        ['totalMa', known.length === b.ports.length ? known.reduce((s, p) => s + (p.mA ?? 0), 0) : null],
      ];
    }
    case 'hb': {
      const b = body as HeartbeatBody;
      return [['mem', b.mem], ['rssi', b.rssi]];
    }
    default:
      return [];
  }
}
