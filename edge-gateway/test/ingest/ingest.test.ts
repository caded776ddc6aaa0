import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import type { AckMessage } from '../../src/ingest/index.js';
import { Ingest } from '../../src/ingest/index.js';
import { memoryLogger } from '../../src/log/logger.js';
import type { UplinkMessage } from '../../src/protocol/index.js';
import { parseMessage } from '../../src/protocol/index.js';
import { HOUR_MS, Store } from '../../src/store/index.js';
import { battery, fuel, hb, result, valid } from '../store/fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-ingest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(path = ':memory:', opts: { commitIntervalMs?: number; maxBatch?: number } = {}, clock = new ManualClock()) {
  const store = Store.open(path);
  const bus = new EventBus<GatewayEvents>();
  const log = memoryLogger('gw:ingest');
  const acks: Array<{ link: string; ack: AckMessage }> = [];
  const seen: Array<[keyof GatewayEvents, unknown]> = [];
  for (const ev of ['reading', 'heartbeat', 'result', 'duplicate', 'rejected', 'storeError'] as const) bus.on(ev, (p) => seen.push([ev, p]));
  const ingest = new Ingest({
    store,
    bus,
    clock,
    log,
    commitIntervalMs: opts.commitIntervalMs ?? 1000,
    maxBatch: opts.maxBatch,
    maintenanceIntervalMs: null,
    sendAck: (link, ack) => {
      acks.push({ link, ack });
      return true;
    },
  });
  ingest.start();
  const ackedSeqs = () => acks.flatMap((a) => a.ack.body.seqs.map((s) => `${a.ack.node}/${a.ack.body.boot}/${s}`));
  return { store, bus, clock, ingest, acks, seen, log, ackedSeqs };
}

const count = (s: Store) => s.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;

describe('ingest group commit', () => {
  it('stores a batch in one commit and acks and announces only after it', () => {
    const t = setup();
    const msgs = [valid(fuel({ node: 'fuel-1', seq: 1 })), valid(fuel({ node: 'fuel-1', seq: 2 })), valid(battery({ node: 'bat-1', seq: 7 })), valid(hb({ node: 'bat-1', seq: 8 }, 'battery'))];
    for (const m of msgs) t.ingest.accept(m, 'serial:/dev/ttyUSB0', t.clock.now());
    expect(count(t.store)).toBe(0);
    expect(t.acks).toEqual([]);
    expect(t.seen).toEqual([]);
    t.clock.advance(999);
    expect(t.acks).toEqual([]);
    t.clock.advance(1);
    expect(count(t.store)).toBe(4);
    expect(t.ingest.stats.commits).toBe(1);
    expect(t.acks.map((a) => [a.link, a.ack.node, a.ack.body])).toEqual([
      ['serial:/dev/ttyUSB0', 'fuel-1', { boot: 1, seqs: [1, 2] }],
      ['serial:/dev/ttyUSB0', 'bat-1', { boot: 1, seqs: [7, 8] }],
    ]);
    // Acks are valid protocol messages from the gateway's boot.
    for (const a of t.acks) expect(parseMessage(a.ack)).toMatchObject({ type: 'ack', boot: t.store.boot });
    expect(t.seen.map(([e]) => e)).toEqual(['reading', 'reading', 'reading', 'heartbeat']);
    t.store.close();
  });

  it('commits at once when the queue reaches maxBatch', () => {
    const t = setup(':memory:', { maxBatch: 3 });
    for (let i = 1; i <= 3; i++) t.ingest.accept(fuel({ node: 'f', seq: i }), 'mqtt', t.clock.now());
    expect(count(t.store)).toBe(3);
    expect(t.ackedSeqs()).toEqual(['f/1/1', 'f/1/2', 'f/1/3']);
    t.store.close();
  });

  it('acks a duplicate again without storing or announcing it as a reading', () => {
    const t = setup();
    t.ingest.accept(fuel({ node: 'f', seq: 5 }), 'mqtt', t.clock.now());
    t.ingest.accept(fuel({ node: 'f', seq: 5 }), 'mqtt', t.clock.now()); // resend inside the same window
    t.clock.advance(1000);
    t.ingest.accept(fuel({ node: 'f', seq: 5 }), 'mqtt', t.clock.now()); // resend after the commit
    t.ingest.accept(fuel({ node: 'f', boot: 2, seq: 5 }), 'mqtt', t.clock.now()); // same seq, new boot: new message
    t.clock.advance(1000);
    expect(count(t.store)).toBe(2);
    // One ack per commit for seq 5 (the in-window resend shares it), one for the later resend.
    expect(t.ackedSeqs().sort()).toEqual(['f/1/5', 'f/1/5', 'f/2/5']);
    expect(t.seen.filter(([e]) => e === 'reading')).toHaveLength(2);
    // Only the resend of an already stored message is a duplicate; the in-window one was a retry.
    expect(t.seen.filter(([e]) => e === 'duplicate')).toHaveLength(1);
    expect(t.ingest.stats).toMatchObject({ stored: 2, duplicates: 1, resends: 1 });
    t.store.close();
  });

  it('commits command results and faults without waiting the full interval', () => {
    const t = setup(':memory:', { commitIntervalMs: 5000 });
    t.ingest.accept(fuel({ node: 'f', seq: 1 }), 'mqtt', t.clock.now());
    t.clock.advance(1000);
    t.ingest.accept(valid(result({ node: 'c', seq: 9 }, 3)), 'mqtt', t.clock.now());
    t.clock.advance(49);
    expect(t.acks).toEqual([]);
    t.clock.advance(1);
    expect(t.ackedSeqs()).toEqual(['f/1/1', 'c/1/9']);
    expect(t.seen.map(([e]) => e)).toEqual(['reading', 'result']);
    t.ingest.accept(fuel({ node: 'f', seq: 2 }, null, 'fault'), 'mqtt', t.clock.now());
    t.clock.advance(50);
    expect(t.ackedSeqs()).toContain('f/1/2');
    // Ordinary telemetry waits for the interval again.
    t.ingest.accept(fuel({ node: 'f', seq: 3 }), 'mqtt', t.clock.now());
    t.clock.advance(4999);
    expect(t.ackedSeqs()).not.toContain('f/1/3');
    t.clock.advance(1);
    expect(t.ackedSeqs()).toContain('f/1/3');
    t.store.close();
  });

  it('writes recorded events with the next group commit', () => {
    const t = setup();
    t.ingest.recordEvent({ ts: t.clock.now(), level: 'info', source: 'gw:test', kind: 'door-open', data: { n: 1 } });
    expect(t.store.events()).toEqual([]);
    t.clock.advance(1000);
    expect(t.store.events()).toMatchObject([{ kind: 'door-open', level: 'info', source: 'gw:test', data: { n: 1 } }]);
    t.store.close();
  });

  it('commits the queue at stop and then takes nothing more (the node resends)', () => {
    const t = setup();
    t.ingest.accept(fuel({ node: 'f', seq: 1 }), 'mqtt', t.clock.now());
    t.ingest.stop();
    expect(t.ackedSeqs()).toEqual(['f/1/1']);
    t.ingest.accept(fuel({ node: 'f', seq: 2 }), 'mqtt', t.clock.now());
    t.clock.advance(5000);
    expect(t.ackedSeqs()).toEqual(['f/1/1']);
    expect(count(t.store)).toBe(1);
    t.store.close();
  });

  it('splits acks into at most 64 seqs', () => {
    const t = setup(':memory:', { maxBatch: 1000 });
    for (let i = 0; i < 130; i++) t.ingest.accept(battery({ node: 'b', seq: i }), 'mqtt', t.clock.now());
    t.ingest.flush();
    expect(t.acks.map((a) => a.ack.body.seqs.length)).toEqual([64, 64, 2]);
    for (const a of t.acks) parseMessage(a.ack);
    t.store.close();
  });
});

describe('dedup across restarts', () => {
  it('recognises stored messages after reopening the file', () => {
    const path = join(dir, 'gw.db');
    const a = setup(path);
    for (let i = 1; i <= 50; i++) if (i !== 20) a.ingest.accept(fuel({ node: 'f', seq: i }), 'mqtt', a.clock.now());
    a.ingest.stop();
    a.store.close();

    const b = setup(path);
    for (let i = 1; i <= 50; i++) b.ingest.accept(fuel({ node: 'f', seq: i }), 'mqtt', b.clock.now());
    b.ingest.flush();
    expect(b.ingest.stats).toMatchObject({ stored: 1, duplicates: 49 });
    expect(b.ackedSeqs()).toHaveLength(50);
    expect(b.store.db.prepare('SELECT count(*), count(DISTINCT seq) FROM messages').raw().get()).toEqual([50, 50]);
    b.store.close();
  });

  it('still recognises messages whose raw rows were pruned (dedup floor), also after a restart', () => {
    const path = join(dir, 'gw.db');
    const clock = new ManualClock();
    const a = setup(path, {}, clock);
    for (let i = 1; i <= 10; i++) a.ingest.accept(battery({ node: 'b', seq: i }), 'mqtt', clock.now());
    a.ingest.flush();
    clock.advance(50 * HOUR_MS);
    a.ingest.accept(battery({ node: 'b', seq: 11 }), 'mqtt', clock.now());
    a.ingest.flush();
    const res = a.ingest.maintenance();
    expect(res.deleted).toBe(10);
    expect(res.floors).toEqual([{ node: 'b', boot: 1, seq: 10 }]);
    expect(count(a.store)).toBe(1);
    a.ingest.accept(battery({ node: 'b', seq: 3 }), 'mqtt', clock.now());
    a.ingest.flush();
    expect(a.ingest.stats.duplicates).toBe(1);
    a.ingest.stop();
    a.store.close();

    const b = setup(path, {}, clock);
    for (const s of [3, 10, 11]) b.ingest.accept(battery({ node: 'b', seq: s }), 'mqtt', clock.now());
    b.ingest.accept(battery({ node: 'b', seq: 12 }), 'mqtt', clock.now());
    b.ingest.flush();
    expect(b.ingest.stats).toMatchObject({ stored: 1, duplicates: 3 });
    expect(count(b.store)).toBe(2);
    b.store.close();
  });
});

describe('bad input', () => {
  it('logs and rejects a body that cannot be serialised; the rest of the batch is stored', () => {
    const t = setup();
    const bad = fuel({ node: 'f', seq: 2 }) as unknown as { body: Record<string, unknown> };
    bad.body.litres = 10n; // BigInt: JSON.stringify throws
    t.ingest.accept(fuel({ node: 'f', seq: 1 }), 'mqtt', t.clock.now());
    t.ingest.accept(bad as unknown as UplinkMessage, 'mqtt', t.clock.now());
    t.ingest.accept(fuel({ node: 'f', seq: 3 }), 'mqtt', t.clock.now());
    t.clock.advance(1000);
    expect(t.ackedSeqs()).toEqual(['f/1/1', 'f/1/3']);
    expect(t.seen.find(([e]) => e === 'rejected')?.[1]).toMatchObject({ node: 'f', seq: 2, reason: 'unserialisable' });
    expect(t.log.records.some((r) => r.level === 'warn' && r.msg === 'message rejected' && r.seq === 2)).toBe(true);
    expect(t.store.events({ kind: 'message-rejected' })).toHaveLength(1);
    t.store.close();
  });

  it('rejects a row SQLite refuses (STRICT column type) without losing the others', () => {
    const t = setup();
    t.ingest.accept(fuel({ node: 'f', seq: 1 }), 'mqtt', t.clock.now());
    t.ingest.accept({ ...fuel({ node: 'f', seq: 2 }), ts: 1.5 } as UplinkMessage, 'mqtt', t.clock.now());
    t.ingest.accept(fuel({ node: 'f', seq: 3 }), 'mqtt', t.clock.now());
    t.clock.advance(1000);
    expect(t.ackedSeqs()).toEqual(['f/1/1', 'f/1/3']);
    expect(t.seen.find(([e]) => e === 'rejected')?.[1]).toMatchObject({ seq: 2, reason: 'store-refused' });
    expect(t.store.messages().map((m) => m.seq)).toEqual([1, 3]);
    // A corrected resend of seq 2 is a new message, not a duplicate.
    t.ingest.accept(fuel({ node: 'f', seq: 2 }), 'mqtt', t.clock.now());
    t.clock.advance(1000);
    expect(t.store.messages().map((m) => m.seq)).toEqual([1, 3, 2]);
    t.clock.advance(1000); // the rejection event is written with the following commit
    expect(t.store.events({ kind: 'message-rejected' })).toHaveLength(1);
    t.store.close();
  });

  it('refuses oversized bodies', () => {
    const t = setup();
    const big = { ...hb({ node: 'h', seq: 1 }), body: { ...hb({ node: 'h', seq: 1 }).body, flags: Array.from({ length: 400 }, () => 'X'.repeat(30)) } };
    t.ingest.accept(big, 'mqtt', t.clock.now());
    t.clock.advance(1000);
    expect(count(t.store)).toBe(0);
    expect(t.seen.find(([e]) => e === 'rejected')?.[1]).toMatchObject({ reason: 'too-large' });
    t.store.close();
  });

  it('acks nothing when the whole commit fails, and recovers on the next one', () => {
    const t = setup();
    // A real SQLite failure inside the transaction: an event insert that aborts.
    t.store.db.exec("CREATE TEMP TRIGGER fail_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'simulated I/O failure'); END");
    t.ingest.accept(fuel({ node: 'f', seq: 1 }), 'mqtt', t.clock.now());
    const bad = fuel({ node: 'f', seq: 2 }) as unknown as { body: Record<string, unknown> };
    bad.body.litres = 1n;
    t.ingest.accept(bad as unknown as UplinkMessage, 'mqtt', t.clock.now()); // queues a rejection event
    t.clock.advance(1000);
    expect(t.acks).toEqual([]);
    expect(count(t.store)).toBe(0);
    expect(t.seen.find(([e]) => e === 'storeError')?.[1]).toMatchObject({ op: 'commit', messages: 1 });
    expect(t.log.records.some((r) => r.level === 'error' && r.msg === 'group commit failed')).toBe(true);
    t.store.db.exec('DROP TRIGGER fail_events');
    t.ingest.accept(fuel({ node: 'f', seq: 1 }), 'mqtt', t.clock.now()); // the node resends
    t.clock.advance(1000);
    expect(t.ackedSeqs()).toEqual(['f/1/1']);
    expect(t.ingest.stats.stored).toBe(1);
    t.store.close();
  });
});
