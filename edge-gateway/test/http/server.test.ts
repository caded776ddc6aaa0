import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { createHttpServer, HttpError, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log/logger.js';

let server: HttpServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A raw request, so the Host header can be set like a phone's connectivity check would. */
function get(port: number, path: string, host?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP server', () => {
  it('routes by method and path with {status, data|error} replies', async () => {
    server = createHttpServer({
      log: silentLogger,
      routes: {
        'GET /api/x': () => ({ kind: 'json', data: { a: 1 } }),
        'GET /api/teapot': () => {
          throw new HttpError(418, 'short and stout');
        },
      },
    });
    const port = await server.listen(0, '127.0.0.1');
    expect(JSON.parse((await get(port, '/api/x')).body)).toEqual({ status: 'ok', data: { a: 1 } });
    const tea = await get(port, '/api/teapot');
    expect(tea.status).toBe(418);
    expect(JSON.parse(tea.body)).toEqual({ status: 'error', error: 'short and stout' });
    expect((await get(port, '/nope')).status).toBe(404);
  });

  it('serves static files but never outside its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-static-'));
    writeFileSync(join(dir, 'index.html'), '<p>hi</p>');
    server = createHttpServer({ log: silentLogger, routes: {}, staticDir: dir });
    const port = await server.listen(0, '127.0.0.1');
    expect((await get(port, '/')).body).toBe('<p>hi</p>');
    expect((await get(port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await get(port, '/../../etc/passwd')).status).toBe(404);
  });

  it('as a captive portal, redirects connectivity checks for other hosts to the resident screens', async () => {
    server = createHttpServer({ log: silentLogger, routes: { 'GET /': () => ({ kind: 'html', body: 'resident' }) }, portalUrl: 'http://10.42.0.1/' });
    const port = await server.listen(0, '127.0.0.1');
    for (const [host, path] of [
      ['connectivitycheck.gstatic.com', '/generate_204'],
      ['captive.apple.com', '/hotspot-detect.html'],
      ['www.msftconnecttest.com', '/connecttest.txt'],
    ]) {
      const res = await get(port, path!, host);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('http://10.42.0.1/');
    }
    // The gateway's own address and the kiosk's localhost are served normally.
    expect((await get(port, '/', '10.42.0.1')).body).toBe('resident');
    expect((await get(port, '/', `localhost:${port}`)).body).toBe('resident');
  });
});
