// Stores fed by one live connection: first fetch at once, socket messages, polling fallback, lost flag.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SocketLike } from '../../../src/lib/api/live.js';
import type { StatusData } from '../../../src/lib/api/types.js';
import { createLiveStore } from '../../../src/lib/stores/live.js';
import { createStatusStore } from '../../../src/lib/stores/status.js';
import { ApiError } from '../../../src/lib/api/client.js';
import { statusFixture } from '../../../mock/fixtures.js';

class Socket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  close() {}
}

function gateway(role: 'point' | 'coordinator') {
  const calls = { status: 0 };
  let down = false;
  const api = {
    async status(): Promise<StatusData> {
      calls.status++;
      if (down) throw new ApiError('GET /api/status: no answer from the gateway', 0);
      const s = statusFixture(calls.status);
      s.point.role = role;
      return s;
    },
  };
  return { api, calls, setDown: (d: boolean) => (down = d) };
}

describe('createLiveStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fetches at once, then takes socket messages', async () => {
    const gw = gateway('coordinator');
    const status = createStatusStore(gw.api);
    const sockets: Socket[] = [];
    const live = createLiveStore({ url: 'ws://x/api/live', status, live: { openSocket: () => sockets[sockets.push(new Socket()) - 1]! } });
    live.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(status.data.value?.point.role).toBe('coordinator');
    sockets[0]!.onopen?.({});
    expect(live.mode.value).toBe('live');
    const pushed = statusFixture(99);
    pushed.point.name = 'Pushed';
    sockets[0]!.onmessage?.({ data: JSON.stringify({ type: 'status', data: pushed }) });
    expect(status.data.value?.point.name).toBe('Pushed');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(gw.calls).toEqual({ status: 1 });
    live.stop();
  });

  it('polls while the socket is down, and flags lost while polls fail', async () => {
    const gw = gateway('point');
    const status = createStatusStore(gw.api);
    const live = createLiveStore({
      url: 'ws://x/api/live',
      status,
      live: {
        openSocket: () => {
          throw new Error('no socket');
        },
        retryMs: 600_000,
      },
    });
    live.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(live.mode.value).toBe('polling');
    expect(live.lost.value).toBe(false);
    const before = status.data.value;
    gw.setDown(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(live.lost.value).toBe(true);
    expect(status.error.value).toMatch(/no answer/);
    expect(status.data.value).toBe(before); // the last known status stays on screen, marked as possibly stale
    gw.setDown(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(live.lost.value).toBe(false);
    expect(status.error.value).toBeNull();
    live.stop();
  });
});
