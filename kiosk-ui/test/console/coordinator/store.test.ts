// The coordinator store: a first fetch through the session API, then live pushes of points (re-sorted by
// urgency), open alerts and inbox counts over the socket, and polling while the socket is down.
import { afterEach, describe, expect, it } from 'vitest';
import { coordinatorSocket, createCoordinatorStore } from '../../../src/console/routes/coordinator/store.js';
import type { CoordinatorApi, InboxCounts } from '../../../src/lib/api/coordinator.js';
import { alert, point } from './fixtures.js';

const counts = (e: number): InboxCounts => ({ emergency: { total: e, unread: e, unhandled: e }, needs: { total: 0, unread: 0, unhandled: 0 }, safe: { total: 0, unread: 0, unhandled: 0 } });

class FakeWs {
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  closed = false;
  close() {
    this.closed = true;
  }
}

function fakeApi(fail = { now: false }) {
  const calls: string[] = [];
  const api = {
    points: async () => (calls.push('points'), { points: [point('calm', { urgency: 1 }), point('urgent', { urgency: 900 })] }),
    alerts: async () => {
      calls.push('alerts');
      if (fail.now) throw new Error('GET /api/alerts: no answer from the gateway');
      return { alerts: [alert(1)] };
    },
    inbox: async () => (calls.push('inbox'), { messages: [], counts: counts(1) }),
  } as unknown as CoordinatorApi;
  return { api, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
let stop: (() => void) | null = null;
afterEach(() => stop?.());

describe('coordinator store', () => {
  it('fetches points (urgent first), open alerts and inbox counts, then follows live pushes', async () => {
    const { api } = fakeApi();
    const store = createCoordinatorStore(api);
    const ws = new FakeWs();
    store.start('ws://gw/api/live', coordinatorSocket(store.receive, () => ws as unknown as WebSocket));
    stop = () => store.stop();
    await tick();
    // fetched at once, without waiting for the socket
    expect(store.points.value?.map((p) => p.point)).toEqual(['urgent', 'calm']);
    expect(store.alerts.value?.map((a) => a.id)).toEqual([1]);
    expect(store.inboxCounts.value?.emergency.unhandled).toBe(1);
    ws.onmessage?.({ data: JSON.stringify({ type: 'points', data: { points: [point('a', { urgency: 5 }), point('b', { urgency: 50 })] } }) });
    expect(store.points.value?.map((p) => p.point)).toEqual(['b', 'a']);
    ws.onmessage?.({ data: JSON.stringify({ type: 'alerts', data: { alerts: [alert(2), alert(3)], changed: alert(3) } }) });
    expect(store.alerts.value?.map((a) => a.id)).toEqual([2, 3]);
    const v = store.inboxVersion.value;
    ws.onmessage?.({ data: JSON.stringify({ type: 'inbox', data: { counts: counts(4) } }) });
    expect(store.inboxCounts.value?.emergency.unhandled).toBe(4);
    expect(store.inboxVersion.value).toBe(v + 1);
    // junk on the socket changes nothing
    ws.onmessage?.({ data: '{"type":"alerts"' });
    ws.onmessage?.({ data: JSON.stringify({ type: 'other', data: {} }) });
    expect(store.alerts.value?.map((a) => a.id)).toEqual([2, 3]);
    store.stop();
    expect(ws.closed).toBe(true);
  });

  it('polls while the socket is down, and marks the data as possibly stale when a fetch fails, saying why', async () => {
    const fail = { now: true };
    const { api, calls } = fakeApi(fail);
    const store = createCoordinatorStore(api);
    const ws = new FakeWs();
    store.start('ws://gw/api/live', coordinatorSocket(store.receive, () => ws as unknown as WebSocket));
    stop = () => store.stop();
    await tick();
    expect(store.lost.value).toBe(true);
    const before = calls.length;
    ws.onclose?.({});
    expect(store.mode.value).toBe('polling');
    await tick();
    expect(calls.length).toBeGreaterThan(before); // polling fetches again
    expect(store.error.value).toBe('GET /api/alerts: no answer from the gateway');
    fail.now = false;
    await store.refresh();
    expect(store.lost.value).toBe(false);
    expect(store.error.value).toBeNull();
  });
});

describe('points from an older gateway', () => {
  it('get empty alert counts, urgency 0 and no forecast instead of missing fields', async () => {
    const { withDefaults } = await import('../../../src/console/routes/coordinator/store.js');
    const old = { point: 'p1', name: 'Punt', online: true, receivedAt: 5, status: null };
    expect(withDefaults(old)).toMatchObject({ alerts: { open: 0, critical: 0, unacknowledged: 0 }, urgency: 0, forecast: null, lora: null, lastHeardAt: 5, link: 'mqtt' });
    expect(withDefaults(point('p2')).alerts).toEqual({ open: 1, critical: 1, unacknowledged: 1 });
  });
});
