// Flashing a node's firmware from the commissioning wizard. The gateway holds each USB serial port open for
// its node link, so an upload goes: release the port (the link keeps its outbox), run the flasher on it,
// reopen the link, then wait for the node's heartbeat to report the build's version. One upload at a time.
// Before the release the node is asked (`{op:'console'}`) to hand its USB UART back to Espruino's REPL: our
// firmware keeps the REPL off that line, and the espruino CLI needs a prompt there.
import { realpathSync } from 'node:fs';
import type { EventBus } from '../core/bus.js';
import type { GatewayEvents } from '../core/events.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import type { CommandBody } from '../protocol/index.js';

export interface FlashRequest {
  /** Node kind: the bundle firmware/dist/<kind>.js goes up. */
  kind: string;
  /** Serial device the board is on (released by the gateway for the upload). */
  port: string;
}

/** Uploads a firmware bundle to a board; rejects when the upload failed. */
export interface FirmwareFlasher {
  flash(req: FlashRequest): Promise<{ output: string }>;
}

/** Production: firmware/tools/flash.ts, the espruino CLI saving the bundle as the board's boot code. */
export function espruinoFlasher(opts: { baud?: number } = {}): FirmwareFlasher {
  return {
    async flash({ kind, port }) {
      // Loaded on first use: it resolves the espruino CLI (a firmware dev dependency) when it loads.
      const { flash } = await import('../../../firmware/tools/flash.js');
      // The CLI only opens ports it enumerates (/dev/ttyUSB0 …), not a /dev/serial/by-id/… link to one.
      return { output: await flash({ node: kind, port: devicePath(port), ...(opts.baud ? { baud: opts.baud } : {}) }) };
    },
  };
}

function devicePath(port: string): string {
  try {
    return realpathSync(port);
  } catch {
    return port;
  }
}

/** A serial port a node was heard on, and the link holding it. */
export interface FlashPort {
  port: string;
  link: string;
  release(): Promise<void>;
  resume(): Promise<void>;
}

/** The slice of SerialNodeLink the wizard needs (see links/serial/serial-node-link.ts). */
export interface ReleasableSerialLink {
  readonly name: string;
  readonly path: string;
  readonly stats: { nodes: string[] };
  release(): Promise<void>;
  resume(): Promise<void>;
}

/** Finds the serial link that has heard a node. */
export function serialFlashPorts(links: readonly ReleasableSerialLink[]): (node: string) => FlashPort | null {
  return (node) => {
    const l = links.find((x) => x.stats.nodes.includes(node));
    return l ? { port: l.path, link: l.name, release: () => l.release(), resume: () => l.resume() } : null;
  };
}

export type FlashPhase = 'releasing' | 'uploading' | 'reopening' | 'waiting' | 'done' | 'failed';

export interface FlashState {
  node: string;
  kind: string;
  port: string;
  phase: FlashPhase;
  /** Gateway clock. */
  startedAt: number;
  oldVersion: string | null;
  expected: string;
  /** Set when finished. */
  ok?: boolean;
  error?: string;
  measurementId?: number;
  newVersion?: string | null;
  durationMs?: number;
  output?: string[];
}

export interface FlashOutcome {
  ok: boolean;
  /** The phase it got to (the failed one when not ok). */
  phase: FlashPhase;
  error: string | null;
  newVersion: string | null;
  /** Real time from release to the new version's heartbeat (or the failure). */
  durationMs: number;
  /** The flasher's last output lines. */
  output: string[];
  /** What the console handoff came to (see CONSOLE_*), null when it was not attempted. */
  console: string | null;
}

/** The node confirmed: its REPL is on the USB UART and it stopped framing there. */
export const CONSOLE_HANDED_OVER = 'handed over to the REPL';
/** Firmware from before the `console` command: the upload is tried anyway. */
export const CONSOLE_UNSUPPORTED = 'not supported by the running firmware (older than the console command): uploading anyway, the espruino CLI may find no prompt';

/** Sends a command over the node's link and resolves with its result (or ok:false, error on no answer). */
export type NodeCommand = (body: CommandBody) => Promise<{ ok: boolean; error?: string }>;

/** The node moves its console 200 ms after answering (firmware CONSOLE_DELAY_MS); the CLI must not talk before. */
export const CONSOLE_SETTLE_MS = 500;

/** `p`'s value, or null when `ms` pass first (the timer is cleared either way). */
export function timeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]).finally(() => clearTimeout(timer));
}

/** Asks the node to hand its USB UART to the REPL; throws when it refuses or does not answer. */
export async function handOverConsole(command: NodeCommand, settleMs = CONSOLE_SETTLE_MS): Promise<string> {
  const r = await command({ op: 'console' });
  if (r.ok) {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return CONSOLE_HANDED_OVER;
  }
  if (r.error !== undefined && /^unsupported op/.test(r.error)) return CONSOLE_UNSUPPORTED;
  throw new FlashError(`the node did not hand its USB console to the flasher: ${r.error ?? 'refused'}`);
}

export class FlashError extends Error {
  override name = 'FlashError';
}

const OUTPUT_LINES = 8;

/** Last non-empty lines of a tool's output, for the record. */
export function lastLines(text: string, n = OUTPUT_LINES): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0)
    .slice(-n);
}

export interface FlashRunOptions {
  node: string;
  kind: string;
  expected: string;
  /** Boot id the node reported before: the new firmware's heartbeat comes from a later boot. */
  oldBoot: number | null;
  target: FlashPort;
  flasher: FirmwareFlasher;
  bus: EventBus<GatewayEvents>;
  log: Logger;
  /** Real time to wait for the heartbeat with the new version. */
  reportTimeoutMs: number;
  /** The node's command path: when given, the node hands its UART to the REPL before the port is released. */
  command?: NodeCommand;
  onPhase(phase: FlashPhase): void;
}

/**
 * One upload: console handoff (the link stays held if it fails), release, flash, reopen (always, even after a
 * failed upload), wait for the new version.
 */
export async function runFlash(o: FlashRunOptions): Promise<FlashOutcome> {
  const t0 = performance.now();
  let phase: FlashPhase = 'releasing';
  let output: string[] = [];
  let newVersion: string | null = null;
  let consoleNote: string | null = null;
  const step = (p: FlashPhase) => {
    phase = p;
    o.onPhase(p);
  };
  // Listen before the link reopens: the new firmware says hello at once.
  let heard: (fw: string) => void = () => undefined;
  const reported = new Promise<string>((resolve) => (heard = resolve));
  const off = o.bus.on('heartbeat', ({ msg }) => {
    if (msg.node !== o.node || (o.oldBoot !== null && msg.boot === o.oldBoot)) return;
    newVersion = msg.body.fw;
    if (msg.body.fw === o.expected) heard(msg.body.fw);
  });
  try {
    step('releasing');
    if (o.command) {
      consoleNote = await handOverConsole(o.command);
      if (consoleNote !== CONSOLE_HANDED_OVER) o.log.warn('console handoff skipped', { node: o.node, console: consoleNote });
    }
    await o.target.release();
    step('uploading');
    try {
      output = lastLines((await o.flasher.flash({ kind: o.kind, port: o.target.port })).output);
    } catch (err) {
      output = lastLines(err instanceof Error && 'output' in err && typeof err.output === 'string' ? err.output : errorMessage(err));
      throw new FlashError(`upload failed: ${errorMessage(err)}`, { cause: err });
    } finally {
      // The node link comes back whatever the upload did.
      const uploadPhase = phase;
      step('reopening');
      await o.target.resume();
      phase = uploadPhase;
    }
    step('waiting');
    const ok = await timeout(reported.then(() => true), o.reportTimeoutMs);
    if (!ok) {
      const last = newVersion === null ? 'no heartbeat from a new boot' : `it reports ${String(newVersion)}`;
      throw new FlashError(`the node did not report firmware ${o.expected} within ${Math.round(o.reportTimeoutMs / 1000)} s (${last})`);
    }
    step('done');
    return { ok: true, phase: 'waiting', error: null, newVersion, durationMs: Math.round(performance.now() - t0), output, console: consoleNote };
  } catch (err) {
    o.log.warn('firmware flash failed', { node: o.node, phase, error: errorMessage(err) });
    const failedIn = phase;
    o.onPhase('failed');
    return { ok: false, phase: failedIn, error: errorMessage(err), newVersion, durationMs: Math.round(performance.now() - t0), output, console: consoleNote };
  } finally {
    off();
  }
}
