// Charger node: switches USB port relays on the gateway's command and reports port current. Failsafe:
// when the gateway has been silent for failsafeMs, every port goes off (the gateway is what keeps
// charging within the power budget; without it the node must not keep drawing).
import type { ChargerBody, CommandBody } from '../../../protocol/index.js';
import type { ChargerBoardHw } from '../../world/sensors.js';
import type { CommandOutcome, NodeApp, NodeAppContext } from '../app.js';
import { DEFAULT_TELEMETRY_MS } from '../app.js';

export interface ChargerAppOptions {
  board: ChargerBoardHw;
  intervalMs?: number;
  /** Gateway silence (no ack, no command) after which all ports switch off. */
  failsafeMs?: number;
}

export const DEFAULT_FAILSAFE_MS = 120_000;

export class ChargerApp implements NodeApp<'charger'> {
  readonly kind = 'charger' as const;
  readonly intervalMs: number;
  readonly changeDebounceMs = 0;
  private failsafeMs: number;
  private failsafe = false;
  private heardAt = 0;
  private ctx: NodeAppContext | null = null;
  private cancelCheck: (() => void) | null = null;

  constructor(private readonly opts: ChargerAppOptions) {
    this.intervalMs = opts.intervalMs ?? DEFAULT_TELEMETRY_MS.charger;
    this.failsafeMs = opts.failsafeMs ?? DEFAULT_FAILSAFE_MS;
  }

  get inFailsafe(): boolean {
    return this.failsafe;
  }

  start(ctx: NodeAppContext): void {
    this.ctx = ctx;
    this.heardAt = ctx.clock.now();
    this.cancelCheck = ctx.clock.setInterval(() => this.checkSilence(), 1000);
  }

  stop(): void {
    this.cancelCheck?.();
    this.cancelCheck = null;
    this.ctx = null;
  }

  /** Relays are off at power-on. */
  reboot(): void {
    this.allOff();
    this.failsafe = false;
  }

  gatewayHeard(now: number): void {
    this.heardAt = now;
    if (this.failsafe) {
      this.failsafe = false;
      this.ctx?.log.info('gateway back: failsafe cleared (ports stay off until commanded)');
      this.ctx?.requestTelemetry();
    }
  }

  command(cmd: CommandBody): CommandOutcome {
    const board = this.opts.board;
    if (cmd.op === 'port') {
      if (cmd.port >= board.portCount) return { ok: false, error: `no port ${cmd.port}` };
      board.setRelay(cmd.port, cmd.on);
      this.ctx?.requestTelemetry();
      return { ok: true };
    }
    if (cmd.op === 'config' && typeof cmd.set.failsafeS === 'number' && cmd.set.failsafeS > 0) {
      this.failsafeMs = cmd.set.failsafeS * 1000;
      return { ok: true };
    }
    return { ok: false, error: 'unsupported' };
  }

  read(): ChargerBody {
    const board = this.opts.board;
    const ports = Array.from({ length: board.portCount }, (_, p) => {
      const mA = board.readCurrentMa(p);
      return { p, on: board.relay(p), mA: mA === null ? null : Math.round(mA), fault: mA === null ? ('sensor' as const) : null };
    });
    return { ports, failsafe: this.failsafe };
  }

  flags(): string[] {
    return this.failsafe ? ['FAILSAFE'] : [];
  }

  private checkSilence(): void {
    const ctx = this.ctx;
    if (!ctx || this.failsafe || ctx.clock.now() - this.heardAt < this.failsafeMs) return;
    this.failsafe = true;
    const wereOn = this.allOff();
    // At boot before the gateway speaks, all ports are off already: nothing worth a warning.
    const fields = { silentMs: ctx.clock.now() - this.heardAt, portsSwitchedOff: wereOn };
    if (wereOn > 0) ctx.log.warn('gateway silent: all ports off (failsafe)', fields);
    else ctx.log.info('gateway silent: failsafe (no port was on)', fields);
    ctx.requestTelemetry();
  }

  /** Switches every port off; returns how many were on. */
  private allOff(): number {
    let wereOn = 0;
    for (let p = 0; p < this.opts.board.portCount; p++) {
      if (this.opts.board.relay(p)) wereOn++;
      this.opts.board.setRelay(p, false);
    }
    return wereOn;
  }
}
