import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../src/relay/outbox.js';
import { SEQ_WINDOW, SEQ_WINDOW_ROUTINE } from '../../src/relay/messages.js';
import { emergency, needs, relayDb, safe, status } from './support.js';

const T0 = Date.UTC(2026, 10, 27, 12);

describe('Outbox', () => {
  it('keeps accepted messages across a close and reopen of the database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    try {
      const path = join(dir, 'gw.db');
      let db = relayDb(path);
      const a = new Outbox(db).accept({ kind: 'needs', body: needs(12) }, T0);
      db.close();
      db = relayDb(path);
      const rows = new Outbox(db).rows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: a.id, kind: 'needs', seq: null, state: 'pending', attempts: 0, created: T0 });
      expect(rows[0]!.payload).toEqual({ kind: 'needs', body: needs(12) });
      expect(new Outbox(db).assignSeq(rows[0]!).seq).toBe(0);
      db.close();
      // the id given and the id counter survive a reopen too
      db = relayDb(path);
      const o = new Outbox(db);
      expect(o.get(a.id)?.seq).toBe(0);
      expect(o.assignSeq(o.accept({ kind: 'safe', body: safe() }, T0)).seq).toBe(1);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('orders emergency before safe and needs before status, oldest first within a priority', () => {
    const o = new Outbox(relayDb());
    o.accept({ kind: 'status', body: status() }, T0);
    const n1 = o.accept({ kind: 'needs', body: needs(1) }, T0 + 1);
    const s1 = o.accept({ kind: 'safe', body: safe() }, T0 + 2);
    const e = o.accept({ kind: 'emergency', body: emergency() }, T0 + 3);
    expect(o.rows().map((r) => r.id)).toEqual([e.id, n1.id, s1.id, o.rows()[3]!.id]);
    expect(o.rows()[3]!.kind).toBe('status');
    expect(o.next(T0)?.id).toBe(e.id);
  });

  it('coalesces statuses: a new one replaces any not yet acknowledged, and takes no seq', () => {
    const o = new Outbox(relayDb());
    const first = o.accept({ kind: 'status', body: status(1) }, T0);
    o.markSent(first.id, 'ip', T0, T0 + 10_000);
    const second = o.accept({ kind: 'status', body: status(2) }, T0 + 1);
    const st = o.rows().filter((r) => r.kind === 'status');
    expect(st).toHaveLength(1);
    expect(st[0]).toMatchObject({ id: second.id, seq: null });
    expect(second.id).toBeGreaterThan(first.id);
    // an ack for the replaced one removes nothing
    expect(o.ackRefs([first.id])).toEqual([]);
    expect(o.size()).toBe(1);
  });

  it('gives ids in sending order and keeps the unacknowledged ones within the window, with a reserve for emergencies', () => {
    const o = new Outbox(relayDb());
    for (let i = 0; i < SEQ_WINDOW + 4; i++) o.accept({ kind: 'needs', body: needs(i) }, T0);
    const due = () => {
      const out: { kind: string; seq: number }[] = [];
      for (let r = o.next(T0); r; r = o.next(T0)) {
        const s = o.assignSeq(r);
        out.push({ kind: s.kind, seq: s.seq! });
        o.markSent(s.id, 'lora', T0, T0 + 60_000);
      }
      return out;
    };
    expect(due().map((d) => d.seq)).toEqual([...Array(SEQ_WINDOW_ROUTINE).keys()]);
    // submitted behind the backlog, the emergency still goes now and takes the next id
    const e = o.accept({ kind: 'emergency', body: emergency() }, T0);
    expect(e.seq).toBeNull();
    expect(due()).toEqual([{ kind: 'emergency', seq: SEQ_WINDOW_ROUTINE }]);
    for (let i = 0; i < 10; i++) o.accept({ kind: 'emergency', body: emergency() }, T0);
    expect(due()).toHaveLength(SEQ_WINDOW - SEQ_WINDOW_ROUTINE - 1);
    expect(o.next(T0)).toBeNull();
    // acknowledging ids 0–9 moves the floor to 10: the rest of the emergencies go first, then needs again
    const acked = o.ackRefs(o.rows().filter((r) => r.seq !== null && r.seq < 10).map((r) => r.id));
    expect(acked).toHaveLength(10);
    expect(o.seqFloor()).toBe(10);
    const after = due();
    expect(after.slice(0, 3).map((d) => d.kind)).toEqual(['emergency', 'emergency', 'emergency']);
    expect(after.map((d) => d.seq)).toEqual([...Array(10).keys()].map((i) => SEQ_WINDOW + i).slice(0, after.length));
    expect(Math.max(...o.rows().filter((r) => r.seq !== null).map((r) => r.seq!))).toBeLessThan(10 + SEQ_WINDOW);
  });

  it('matches LoRa downAck ids to sent rows only, within the window', () => {
    const o = new Outbox(relayDb());
    const a = o.assignSeq(o.accept({ kind: 'needs', body: needs(1) }, T0));
    const b = o.assignSeq(o.accept({ kind: 'safe', body: safe() }, T0));
    o.markSent(a.id, 'lora', T0, T0 + 1000);
    // b was never sent: an ack naming its id is stale (an earlier use of the id) and must not drop it
    expect(o.ackLoraIds([a.seq!, b.seq!]).map((r) => r.id)).toEqual([a.id]);
    expect(o.rows().map((r) => r.id)).toEqual([b.id]);
  });

  it('requeues what was in flight on a failed path, and re-offers unacknowledged messages after their retry time', () => {
    const o = new Outbox(relayDb());
    const a = o.accept({ kind: 'needs', body: needs(1) }, T0);
    o.markSent(a.id, 'ip', T0, T0 + 10_000);
    expect(o.next(T0 + 1)).toBeNull();
    expect(o.next(T0 + 10_000)?.id).toBe(a.id);
    expect(o.requeuePath('lora')).toBe(0);
    expect(o.requeuePath('ip')).toBe(1);
    expect(o.get(a.id)).toMatchObject({ state: 'pending', attempts: 1, path: 'ip', retryAt: null });
    expect(o.next(T0 + 1)?.id).toBe(a.id);
  });

  it('takes a retry time with a fraction of a millisecond (airtime / duty cycle) and keeps it due no earlier', () => {
    const o = new Outbox(relayDb());
    const a = o.accept({ kind: 'needs', body: needs(1) }, T0);
    o.requeue(a.id, T0 + 148_279.25);
    expect(o.get(a.id)).toMatchObject({ state: 'pending', retryAt: T0 + 148_280 });
    expect(o.next(T0 + 148_279)).toBeNull();
    expect(o.next(T0 + 148_280)?.id).toBe(a.id);
  });
});

describe('Outbox durability', () => {
  it('has a message once accept() returned, even if the process is killed right after', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'outbox-kill-'));
    try {
      const path = join(dir, 'gw.db');
      const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/submit-and-hang.ts', import.meta.url).pathname, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      const id = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /accepted (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const db = relayDb(path);
      expect(new Outbox(db).get(id)).toMatchObject({ kind: 'emergency', state: 'pending', payload: { body: { note: 'Brand op zolder.' } } });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
