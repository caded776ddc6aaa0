// Live connection: socket first, polling every 5 s while it is down, back to the socket when it returns.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveUrl, parseLiveMessage, startLive, type LiveMode, type SocketLike } from '../../../src/lib/api/live.js';
import type { LiveMessage } from '../../../src/lib/api/types.js';
import { statusFixture } from '../../../mock/fixtures.js';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  fail() {
    this.onerror?.({});
    this.onclose?.({});
  }
  send(msg: unknown) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const modes: LiveMode[] = [];
  const messages: LiveMessage[] = [];
  let polls = 0;
  const conn = startLive({
    url: 'ws://gw/api/live',
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    poll: async () => {
      polls++;
    },
    onMode: (m) => modes.push(m),
    onMessage: (m) => messages.push(m),
    retryMs: 2_000,
    maxRetryMs: 8_000,
  });
  return { sockets, modes, messages, polls: () => polls, conn };
}

describe('startLive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers socket messages and does not poll while the socket is open', async () => {
    const l = setup();
    l.sockets[0]!.open();
    const status = statusFixture(5);
    l.sockets[0]!.send({ type: 'status', data: status });
    l.sockets[0]!.send('not json');
    l.sockets[0]!.send({ type: 'other', data: {} });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(l.messages).toEqual([{ type: 'status', data: status }]);
    expect(l.polls()).toBe(0);
    expect(l.modes).toEqual(['connecting', 'live']);
    l.conn.stop();
    expect(l.sockets[0]!.closed).toBe(true);
  });

  it('polls every 5 s when the socket fails, and stops polling once a retried socket opens', async () => {
    const l = setup();
    l.sockets[0]!.fail();
    expect(l.modes.at(-1)).toBe('polling');
    await vi.advanceTimersByTimeAsync(0);
    expect(l.polls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(l.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(l.sockets).toHaveLength(2); // retried after 2 s
    l.sockets[1]!.fail(); // next retry after 4 s
    await vi.advanceTimersByTimeAsync(10_000);
    expect(l.polls()).toBe(3); // t = 0, 5, 10 s
    expect(l.sockets).toHaveLength(3); // retry at t = 6 s
    l.sockets[2]!.open();
    expect(l.modes.at(-1)).toBe('live');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(l.polls()).toBe(3);
    l.conn.stop();
  });

  it('keeps polling when a poll fails, reporting the error', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const conn = startLive({
      url: 'ws://gw/api/live',
      openSocket: () => {
        throw new Error('no WebSocket');
      },
      poll: async () => {
        n++;
        throw new Error(`poll ${n}`);
      },
      onPollError: (e) => errors.push(e),
      onMessage: () => undefined,
      retryMs: 60_000,
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(n).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['poll 1', 'poll 2', 'poll 3']);
    conn.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(n).toBe(3);
  });

  it('stop() ends polling and socket retries', async () => {
    const l = setup();
    l.sockets[0]!.fail();
    l.conn.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(l.polls()).toBe(1);
    expect(l.sockets).toHaveLength(1);
  });
});

describe('live helpers', () => {
  it('builds the socket URL from the page location', () => {
    expect(liveUrl({ protocol: 'http:', host: '10.0.0.1:8080' })).toBe('ws://10.0.0.1:8080/api/live');
    expect(liveUrl({ protocol: 'https:', host: 'punt.local' })).toBe('wss://punt.local/api/live');
  });
  it('accepts only status and points messages', () => {
    expect(parseLiveMessage('{"type":"points","data":{"points":[]}}')).toEqual({ type: 'points', data: { points: [] } });
    expect(parseLiveMessage('{"type":"status","data":null}')).toBeNull();
    expect(parseLiveMessage('{"type":"hello","data":{}}')).toBeNull();
    expect(parseLiveMessage('[1,2]')).toBeNull();
    expect(parseLiveMessage(new ArrayBuffer(2))).toBeNull();
  });
});
