// A PageRenderer that renders in a child process, started on demand and stopped after it has been idle.
// The board refreshes at most every few minutes, so between refreshes the gateway carries no renderer.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log/logger.js';
import type { PageRenderer } from './board-service.js';
import type { BoardContent } from './content.js';
import type { Frame } from './frame.js';
import type { Page, Sizes } from './layout.js';

export interface RenderRequest {
  id: number;
  page: Page;
  content: BoardContent;
  panelId: string;
  sizes: Sizes;
  stale: boolean;
  timeZone?: string;
}
export type RenderReply = { id: number; ok: true; frame: Frame } | { id: number; ok: false; error: string };

export class RenderWorkerError extends Error {
  override name = 'RenderWorkerError';
}

export interface ProcessRendererOptions {
  panelId: string;
  timeZone?: string;
  log: Logger;
  /** Wall-clock ms the worker may sit idle before it is stopped. */
  idleMs?: number;
  /** Wall-clock ms one render may take. */
  timeoutMs?: number;
}

/** The worker's entry: the bundled file next to a bundled gateway, else the TypeScript source via tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) return { file: fileURLToPath(new URL('./board-render-worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
  const bundled = fileURLToPath(new URL('./board-render-worker.js', import.meta.url));
  if (!existsSync(bundled)) throw new RenderWorkerError(`render worker missing next to the bundle: ${bundled} (run npm run build)`);
  return { file: bundled, execArgv: [] };
}

export function createProcessRenderer(opts: ProcessRendererOptions): PageRenderer & { close(): void } {
  const idleMs = opts.idleMs ?? 20_000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let child: ChildProcess | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (f: Frame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  const failAll = (why: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new RenderWorkerError(why));
      pending.delete(id);
    }
  };

  const start = (): ChildProcess => {
    const { file, execArgv } = workerEntry();
    const c = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    c.on('message', (r: RenderReply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      clearTimeout(p.timer);
      if (r.ok) p.resolve({ width: r.frame.width, height: r.frame.height, data: new Uint8Array(r.frame.data) });
      else p.reject(new RenderWorkerError(r.error));
    });
    c.on('exit', (code, signal) => {
      if (child === c) child = null;
      if (pending.size) failAll(`render worker exited (${signal ?? code})`);
    });
    c.on('error', (err) => opts.log.warn('render worker error', { error: err.message }));
    opts.log.debug('render worker started');
    return c;
  };

  const stop = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    const c = child;
    child = null;
    if (c && c.exitCode === null) c.kill();
  };

  const render: PageRenderer = (page, content, sizes, stale) =>
    new Promise<Frame>((resolve, reject) => {
      if (idleTimer) clearTimeout(idleTimer);
      child ??= start();
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new RenderWorkerError(`render took longer than ${timeoutMs} ms`));
        stop();
      }, timeoutMs);
      pending.set(id, {
        resolve: (f) => {
          resolve(f);
          if (!pending.size) idleTimer = setTimeout(stop, idleMs);
        },
        reject,
        timer,
      });
      const req: RenderRequest = { id, page, content, panelId: opts.panelId, sizes, stale, ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) };
      child.send(req);
    });

  return Object.assign(render, { close: stop });
}
