// Battery node: reads a shunt battery monitor; time-to-go from remaining capacity while discharging.
import type { BatteryBody } from '../../../protocol/index.js';
import type { BatteryMonitorHw } from '../../world/sensors.js';
import type { NodeApp } from '../app.js';
import { DEFAULT_TELEMETRY_MS } from '../app.js';

export interface BatteryAppOptions {
  monitor: BatteryMonitorHw;
  capacityAh: number;
  intervalMs?: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export class BatteryApp implements NodeApp<'battery'> {
  readonly kind = 'battery' as const;
  readonly intervalMs: number;
  readonly changeDebounceMs = 0;

  constructor(private readonly opts: BatteryAppOptions) {
    this.intervalMs = opts.intervalMs ?? DEFAULT_TELEMETRY_MS.battery;
  }

  start(): void {}
  stop(): void {}

  read(): BatteryBody {
    const r = this.opts.monitor.read();
    if (!r) return { v: null, a: null, soc: null, status: 'fault' };
    const body: BatteryBody = { v: round(r.v, 2), a: round(r.a, 2), soc: round(Math.min(100, Math.max(0, r.soc)), 1), status: 'ok' };
    if (r.a < -0.1) body.ttgMin = Math.round(((r.soc / 100) * this.opts.capacityAh * 60) / -r.a);
    return body;
  }
}
