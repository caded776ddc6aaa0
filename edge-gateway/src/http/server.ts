// The gateway's HTTP server. All endpoints are listed in one request table (see routes passed in),
// so the whole surface is readable in one place; every JSON reply is `{status, data?, error?}`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';

/** Extra response headers (Set-Cookie, Location, Retry-After) for json and html replies. */
export type ReplyHeaders = Record<string, string | string[]>;

export type Reply =
  | { kind: 'json'; status?: number; data: unknown; headers?: ReplyHeaders }
  | { kind: 'html'; status?: number; body: string; headers?: ReplyHeaders }
  | { kind: 'file'; path: string; type: string };

export type Handler = (req: IncomingMessage, url: URL) => Reply | Promise<Reply>;
/** Keys are `METHOD /path`. */
export type RouteTable = Record<string, Handler>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: ReplyHeaders,
  ) {
    super(message);
  }
}

export interface HttpServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  routes: RouteTable;
  staticDir?: string;
  log: Logger;
  /**
   * Captive portal: on the point's hotspot every DNS name resolves to the gateway, so a phone's connectivity
   * check (any host) arrives here; answering it with a redirect makes the phone open the resident screens.
   */
  portalUrl?: string;
}

/** Hosts that are the gateway itself (not a phone's connectivity check for some other site). */
function isOwnHost(host: string | undefined, portal: URL): boolean {
  if (!host) return true;
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === portal.hostname || name === 'localhost' || name === '127.0.0.1' || name === '::1';
}

export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const { routes, staticDir, log } = opts;
  const portal = opts.portalUrl ? new URL(opts.portalUrl) : null;
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      log.error('request failed', { url: req.url, error: errorMessage(err) });
      if (!res.headersSent) send(res, { kind: 'json', status: 500, data: null }, 'internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (portal && !isOwnHost(req.headers.host, portal)) {
      res.writeHead(302, { Location: portal.href, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const handler = routes[`${req.method} ${url.pathname}`];
    if (handler) {
      try {
        send(res, await handler(req, url), undefined, acceptsGzip(req));
      } catch (err) {
        if (err instanceof HttpError) send(res, { kind: 'json', status: err.status, data: null, ...(err.headers ? { headers: err.headers } : {}) }, err.message);
        else throw err;
      }
      return;
    }
    if (req.method === 'GET' && staticDir) {
      const file = staticFile(staticDir, url.pathname);
      if (file) return sendStatic(req, res, file, url.pathname);
    }
    send(res, { kind: 'json', status: 404, data: null }, `no route for ${req.method} ${url.pathname}`);
  }

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Text a phone downloads over slow Wi-Fi: worth compressing (images are compressed already). */
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json', '.txt', '.md']);
/** Static files gzipped once per version of the file (the built UI is a few hundred KB at most). */
const gzipCache = new Map<string, { mtimeMs: number; size: number; gz: Buffer }>();

function acceptsGzip(req: IncomingMessage): boolean {
  const ae = req.headers['accept-encoding'];
  if (typeof ae !== 'string') return false;
  // "gzip", "gzip;q=0.8" yes; "gzip;q=0" means not acceptable
  return ae.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function gzipped(file: string): Buffer {
  const st = statSync(file);
  const hit = gzipCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.gz;
  const gz = gzipSync(readFileSync(file), { level: 9 });
  gzipCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, gz });
  return gz;
}

/**
 * A file of the built UI. Vite names assets by content hash, so `/assets/…` never changes under its name and a
 * phone keeps it (no second download on the next visit); everything else is revalidated.
 */
function sendStatic(req: IncomingMessage, res: ServerResponse, file: string, pathname: string): void {
  const ext = extname(file);
  const headers: Record<string, string> = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  };
  if (COMPRESSIBLE.has(ext)) {
    headers['Vary'] = 'Accept-Encoding';
    if (acceptsGzip(req)) {
      const body = gzipped(file);
      res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
      res.end(body);
      return;
    }
  }
  res.writeHead(200, headers);
  createReadStream(file).pipe(res);
}

function send(res: ServerResponse, reply: Reply, error?: string, gzip = false): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (reply.kind !== 'file') for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.kind === 'json') {
    const status = reply.status ?? 200;
    const body = JSON.stringify(error ? { status: 'error', error } : { status: 'ok', data: reply.data });
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  } else if (reply.kind === 'html') {
    const headers: Record<string, string> = {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
      Vary: 'Accept-Encoding',
    };
    // Server-rendered pages are the no-JavaScript fallback for old phones: compress them too.
    if (gzip && reply.body.length > 1024) {
      const body = gzipSync(reply.body, { level: 6 });
      res.writeHead(reply.status ?? 200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
      res.end(body);
      return;
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(reply.body);
  } else {
    res.writeHead(200, { 'Content-Type': reply.type, 'Cache-Control': 'no-cache' });
    createReadStream(reply.path).pipe(res);
  }
}

/** Resolves a URL path inside `root`, refusing anything that escapes it. */
function staticFile(root: string, pathname: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  const candidate = existsSync(full) && statSync(full).isDirectory() ? join(full, 'index.html') : full;
  return existsSync(candidate) && statSync(candidate).isFile() ? candidate : null;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
