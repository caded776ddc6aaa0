// A pair of connected pseudo-terminals made by socat: the gateway opens one end as if it were a USB
// serial adapter, the simulated node writes to the other. Paths are stable symlinks (`link=`).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export class SocatMissingError extends Error {
  override name = 'SocatMissingError';
  constructor() {
    super('socat not found on PATH: the simulator needs it for serial pseudo-terminals (Debian package "socat")');
  }
}

/** `$1 $2`: socat addresses. Exits with socat; kills socat when stdin reaches EOF. */
const SOCAT_GUARD = 'exec 3<&0; socat "$1" "$2" & p=$!; { read -r _ <&3; kill $p 2>/dev/null; } & wait $p';

export class PtyError extends Error {
  override name = 'PtyError';
}

export interface PtyPair {
  /** Path the gateway opens (a symlink to /dev/pts/N). */
  readonly gatewayPath: string;
  /** Path the simulated node opens. */
  readonly nodePath: string;
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Explicit link paths (e.g. named in the gateway's config); default: a fresh temp dir. */
  gatewayPath?: string;
  nodePath?: string;
  /** How long to wait for socat to create both links. */
  timeoutMs?: number;
}

export function socatAvailable(): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'socat'), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

export async function createPtyPair(opts: PtyPairOptions = {}): Promise<PtyPair> {
  if (!socatAvailable()) throw new SocatMissingError();
  const tmp = opts.gatewayPath && opts.nodePath ? null : mkdtempSync(join(tmpdir(), 'noodsteun-pty-'));
  const gatewayPath = opts.gatewayPath ?? join(tmp!, 'gateway');
  const nodePath = opts.nodePath ?? join(tmp!, 'node');
  for (const p of [gatewayPath, nodePath]) {
    mkdirSync(dirname(p), { recursive: true });
    // A stale link from an earlier run would make us think socat is ready.
    rmSync(p, { force: true });
  }
  // rawer: no line editing, no echo, no CR/LF translation — bytes pass as on a real UART.
  // socat runs under a small shell guard that kills it when our end of its stdin closes — on close(),
  // but also when this process dies without cleaning up (a killed test worker), so no pty pair outlives us.
  const proc: ChildProcess = spawn('sh', ['-c', SOCAT_GUARD, 'pty-guard', `pty,rawer,link=${gatewayPath}`, `pty,rawer,link=${nodePath}`], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let spawnError: Error | null = null;
  proc.once('error', (err) => (spawnError = err));

  const cleanup = async () => {
    proc.stdin?.end();
    if (proc.exitCode === null && proc.signalCode === null) {
      const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
      if (!done) {
        proc.kill('SIGKILL');
        await exited;
      }
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    else for (const p of [gatewayPath, nodePath]) rmSync(p, { force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  while (!(existsSync(gatewayPath) && existsSync(nodePath))) {
    if (spawnError || proc.exitCode !== null) {
      await cleanup();
      const err = spawnError as (Error & { code?: string }) | null;
      if (err?.code === 'ENOENT' || proc.exitCode === 127) throw new SocatMissingError();
      throw new PtyError(`socat exited before creating the pty pair: ${stderr.trim() || err?.message || 'no output'}`, { cause: err ?? undefined });
    }
    if (Date.now() > deadline) {
      await cleanup();
      throw new PtyError(`socat did not create ${gatewayPath} and ${nodePath} in time`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }

  let closed: Promise<void> | null = null;
  return {
    gatewayPath,
    nodePath,
    close: () => (closed ??= cleanup()),
  };
}
