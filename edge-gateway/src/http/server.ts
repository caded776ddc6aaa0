// The gateway's HTTP server. All endpoints are listed in one request table (see routes passed in),
// so the whole surface is readable in one place; every JSON reply is `{status, data?, error?}`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
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
        send(res, await handler(req, url));
      } catch (err) {
        if (err instanceof HttpError) send(res, { kind: 'json', status: err.status, data: null, ...(err.headers ? { headers: err.headers } : {}) }, err.message);
        else throw err;
      }
      return;
    }
    if (req.method === 'GET' && staticDir) {
      const file = staticFile(staticDir, url.pathname);
      if (file) return send(res, { kind: 'file', path: file, type: TYPES[extname(file)] ?? 'application/octet-stream' });
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

function send(res: ServerResponse, reply: Reply, error?: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (reply.kind !== 'file') for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.kind === 'json') {
    const status = reply.status ?? 200;
    const body = JSON.stringify(error ? { status: 'error', error } : { status: 'ok', data: reply.data });
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  } else if (reply.kind === 'html') {
    res.writeHead(reply.status ?? 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    });
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
