import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
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

/** A request with chosen headers, body kept as bytes (to check it is gzip). */
function getRaw(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP server compression and caching for slow Wi-Fi', () => {
  it('gzips text files and long pages for clients that accept it, and lets phones keep hashed assets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-http-gz-'));
    const js = 'export const words = "' + 'noodsteunpunt '.repeat(500) + '";\n';
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'main-abc123.js'), js);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const page = '<p>' + 'Wat is er aan de hand? '.repeat(200) + '</p>';
    server = createHttpServer({ log: silentLogger, routes: { 'GET /page': () => ({ kind: 'html', body: page }) }, staticDir: dir });
    const port = await server.listen(0, '127.0.0.1');

    const gz = await getRaw(port, '/assets/main-abc123.js', { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toContain('immutable');
    expect(gz.headers['vary']).toBe('Accept-Encoding');
    expect(gunzipSync(gz.body).toString()).toBe(js);
    expect(gz.body.length).toBeLessThan(js.length / 10);

    const plain = await getRaw(port, '/assets/main-abc123.js', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(js);
    // q=0 means "not gzip"
    expect((await getRaw(port, '/assets/main-abc123.js', { 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding']).toBeUndefined();
    expect((await getRaw(port, '/assets/main-abc123.js', { 'accept-encoding': 'gzip;q=0.5' })).headers['content-encoding']).toBe('gzip');

    // the page shell is revalidated (it names the current asset hashes); images are sent as they are
    expect((await getRaw(port, '/', { 'accept-encoding': 'gzip' })).headers['cache-control']).toBe('no-cache');
    expect((await getRaw(port, '/logo.png', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();

    // server-rendered pages (the no-JavaScript fallback) are compressed too
    const html = await getRaw(port, '/page', { 'accept-encoding': 'gzip' });
    expect(html.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(html.body).toString()).toBe(page);

    // a rebuilt file is not served from the old compressed copy
    const js2 = js.replace('noodsteunpunt', 'coördinatiepunt');
    writeFileSync(join(dir, 'assets', 'main-abc123.js'), js2);
    utimesSync(join(dir, 'assets', 'main-abc123.js'), new Date(), new Date(Date.now() + 5000));
    expect(gunzipSync((await getRaw(port, '/assets/main-abc123.js', { 'accept-encoding': 'gzip' })).body).toString()).toBe(js2);
  });
});
