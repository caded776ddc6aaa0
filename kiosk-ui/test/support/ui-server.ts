// Serves a built kiosk-ui (static files) plus the mock API on a loopback port, like the gateway would.
// Builds the UI first when kiosk-ui/dist is missing or older than the sources, into a temporary folder so a
// test never rewrites dist/ under another test that serves it.
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleMockApi, type MockState } from '../../mock/api.js';

export const KIOSK_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(KIOSK_ROOT, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function distIsFresh(): boolean {
  const marker = join(DIST, 'index.html');
  if (!existsSync(marker) || !existsSync(join(DIST, 'console', 'index.html'))) return false;
  const sources = ['src', 'index.html', 'console', 'vite.config.ts'].map((p) => newestMtime(join(KIOSK_ROOT, p)));
  return statSync(marker).mtimeMs >= Math.max(...sources);
}

export interface BuiltUi {
  dir: string;
  /** How it was obtained, for the test log. */
  how: 'dist' | 'built';
  ms: number;
  cleanup(): void;
}

export async function builtUi(): Promise<BuiltUi> {
  const t0 = performance.now();
  if (distIsFresh()) return { dir: DIST, how: 'dist', ms: 0, cleanup: () => undefined };
  const outDir = mkdtempSync(join(tmpdir(), 'kiosk-ui-e2e-'));
  const { build } = await import('vite');
  await build({ configFile: join(KIOSK_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return { dir: outDir, how: 'built', ms: performance.now() - t0, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface UiServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * `pages` answers chosen paths with generated HTML instead of the file, e.g. index.html with server-rendered
 * markup inside `<div id="app">`, the way the gateway serves the page for browsers without JavaScript.
 */
export async function startUiServer(root: string, state: MockState, pages: Record<string, () => string> = {}): Promise<UiServer> {
  const server = createServer((req, res) => {
    if (handleMockApi(req, res, state)) return;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://ui').pathname);
    const page = pages[path];
    if (page) {
      res.writeHead(200, { 'Content-Type': TYPES['.html']! }).end(page());
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
