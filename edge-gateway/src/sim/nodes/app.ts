// The sensing side of a simulated node: reads the world's hardware and executes commands. It knows
// nothing about envelopes, sequence numbers or transports (ProtocolNode does) — the seam where the real
// firmware under an emulated Espruino API will later take over.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import type { CommandBody, MessageOf } from '../../protocol/index.js';

export type SimNodeKind = 'fuel' | 'battery' | 'visitors' | 'charger';
export const SIM_NODE_KINDS: readonly SimNodeKind[] = ['fuel', 'battery', 'visitors', 'charger'];

/** Default telemetry intervals (ms), as the firmware will use. */
export const DEFAULT_TELEMETRY_MS: Record<SimNodeKind, number> = {
  battery: 10_000,
  charger: 10_000,
  fuel: 30_000,
  visitors: 60_000,
};

export interface NodeAppContext {
  clock: Clock;
  log: Logger;
  /** Ask for a telemetry message now (or after the app's debounce), e.g. on a change or on failsafe. */
  requestTelemetry(): void;
}

export type CommandOutcome = { ok: true } | { ok: false; error: string };

export interface NodeApp<K extends SimNodeKind = SimNodeKind> {
  readonly kind: K;
  readonly intervalMs: number;
  /** Delay before a requested telemetry goes out, so bursts (a group at the door) merge into one message. */
  readonly changeDebounceMs: number;
  start(ctx: NodeAppContext): void;
  stop(): void;
  read(): MessageOf<K>['body'];
  /** `port` and `config` commands; ping and reboot are handled by the protocol side. */
  command?(cmd: CommandBody): CommandOutcome;
  /** Any valid downlink (ack or command) arrived from the gateway. */
  gatewayHeard?(now: number): void;
  /** The node rebooted: RAM state is lost, outputs return to their power-on state. */
  reboot?(): void;
  /** Extra heartbeat flags. */
  flags?(): string[];
}
