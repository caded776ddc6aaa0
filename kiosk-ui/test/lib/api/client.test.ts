// The API client against a real HTTP server on loopback that answers like the gateway (the mock backend).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, unwrap } from '../../../src/lib/api/client.js';
import { handleMockApi, type MockState } from '../../../mock/api.js';
import { pointsFixture, statusFixture } from '../../../mock/fixtures.js';

describe('unwrap', () => {
  it('returns data of an ok envelope', () => {
    expect(unwrap({ status: 'ok', data: { a: 1 } }, '/x')).toEqual({ a: 1 });
    expect(unwrap({ status: 'ok', data: null }, '/x')).toBeNull();
  });
  it('throws ApiError with the gateway message on an error envelope', () => {
    expect(() => unwrap({ status: 'error', error: 'not a coordinator' }, '/api/points', 404)).toThrow(/not a coordinator/);
    try {
      unwrap({ status: 'error', error: 'x' }, '/api/points', 404);
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).httpStatus).toBe(404);
    }
  });
  it('rejects anything that is not an envelope', () => {
    for (const bad of [null, 42, 'ok', { data: 1 }, { status: 'ok' }, { status: 'weird' }]) {
      expect(() => unwrap(bad, '/x'), JSON.stringify(bad)).toThrow(ApiError);
    }
  });
});

describe('createApiClient over HTTP', () => {
  let server: Server;
  let base: string;
  let pointsAnswer: ReturnType<MockState['points']> = pointsFixture(1_000);
  const state: MockState = { status: () => statusFixture(1_000), points: () => pointsAnswer };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (!handleMockApi(req, res, state)) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<p>not json</p>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches the point status', async () => {
    const s = await createApiClient({ base }).status();
    expect(s.point).toEqual({ id: 'dorpshuis-de-linde', name: 'Dorpshuis De Linde', role: 'point' });
    expect(s.time).toBe(1_000);
    expect(s.board.image).toBeNull();
  });

  it('fetches the points, and reports the error a point-role gateway gives', async () => {
    expect((await createApiClient({ base }).points()).points).toHaveLength(4);
    pointsAnswer = null;
    await expect(createApiClient({ base }).points()).rejects.toThrow(/not a coordinator/);
  });

  it('reports a non-JSON reply and a refused connection as ApiError', async () => {
    const client = createApiClient({ base, fetch: (url, init) => fetch(url.replace('/api/status', '/page'), init) });
    await expect(client.status()).rejects.toThrow(/not JSON/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err: unknown = await createApiClient({ base: `http://127.0.0.1:${port}` })
      .status()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).httpStatus).toBe(0);
    expect((err as ApiError).cause).toBeDefined();
  });
});
