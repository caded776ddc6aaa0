// Visitors node: counts what the door beams recognise. Counters live in flash on the real node, so
// they survive reboots; staff reset them with a `config {reset: true}` command.
import type { CommandBody, VisitorsBody } from '../../../protocol/index.js';
import type { DoorBeamsHw } from '../../world/sensors.js';
import type { CommandOutcome, NodeApp, NodeAppContext } from '../app.js';
import { DEFAULT_TELEMETRY_MS } from '../app.js';

export interface VisitorsAppOptions {
  doors: DoorBeamsHw;
  intervalMs?: number;
  changeDebounceMs?: number;
}

export class VisitorsApp implements NodeApp<'visitors'> {
  readonly kind = 'visitors' as const;
  readonly intervalMs: number;
  readonly changeDebounceMs: number;
  private entries = 0;
  private exits = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly opts: VisitorsAppOptions) {
    this.intervalMs = opts.intervalMs ?? DEFAULT_TELEMETRY_MS.visitors;
    this.changeDebounceMs = opts.changeDebounceMs ?? 1000;
  }

  start(ctx: NodeAppContext): void {
    this.unsubscribe = this.opts.doors.onCrossing((dir, counted) => {
      if (dir === 'in') this.entries = (this.entries + counted) >>> 0;
      else this.exits = (this.exits + counted) >>> 0;
      ctx.requestTelemetry();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  read(): VisitorsBody {
    return { entries: this.entries, exits: this.exits, inside: Math.max(0, this.entries - this.exits) };
  }

  command(cmd: CommandBody): CommandOutcome {
    if (cmd.op === 'config' && cmd.set.reset === true) {
      this.entries = 0;
      this.exits = 0;
      return { ok: true };
    }
    return { ok: false, error: 'unsupported' };
  }
}
