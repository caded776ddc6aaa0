// Crash safety: a child ingests into a file database and is SIGKILLed at random moments. Every message it
// acknowledged must be in the database exactly once afterwards, and the database must be intact.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { UplinkMessage } from '../../src/protocol/index.js';
import { encodeMessage } from '../../src/protocol/index.js';
import { HOUR_MS, Store } from '../../src/store/index.js';
import { battery, charger, fuel, hb } from './fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'crash-child.ts');
const repoRoot = resolve(here, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'ns-crash-'));
const dbPath = join(dir, 'gw.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (node: string, boot: number, seq: number) => `${node}/${boot}/${seq}`;

function allMessages(): UplinkMessage[] {
  const out: UplinkMessage[] = [];
  const ts = Date.UTC(2026, 0, 1);
  for (const boot of [1, 2]) {
    for (let seq = 0; seq < 250; seq++) {
      out.push(fuel({ node: 'fuel-1', boot, seq, ts }, seq % 200));
      out.push(battery({ node: 'bat-1', boot, seq, ts }, 24 + (seq % 10) / 10));
      out.push(seq % 10 === 0 ? hb({ node: 'ch-1', boot, seq, ts }, 'charger') : charger({ node: 'ch-1', boot, seq, ts }));
    }
  }
  return out;
}

interface Round {
  acked: string[];
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
  done: boolean;
}

/** Starts the child, streams `lines` to it in small chunks, kills it after `killAfterMs` (or lets it finish). */
function round(lines: string[], killAfterMs: number | null): Promise<Round> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dbPath], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let out = '';
    let stderr = '';
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.stdin.on('error', () => {}); // EPIPE after the kill
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'READY') feed();
        else if (line === 'DONE') done = true;
        else if (line.startsWith('ACK ')) {
          const [, node, boot, seqs] = line.split(' ');
          for (const s of seqs!.split(',')) acked.push(key(node!, Number(boot), Number(s)));
        }
      }
    });
    const feed = () => {
      let i = 0;
      const chunk = () => {
        if (p.exitCode !== null || p.signalCode !== null) return;
        // 10 lines every 5 ms: the stream lasts longer than the latest kill, so kills land mid-ingest.
        p.stdin.write(lines.slice(i, i + 10).join('\n') + '\n');
        i += 10;
        if (i < lines.length) setTimeout(chunk, 5);
        else if (killAfterMs === null) p.stdin.end();
      };
      chunk();
      if (killAfterMs !== null) timer = setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    };
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ acked, exit: { code, signal }, stderr, done });
    });
  });
}

function rowsOf(): Map<string, number> {
  const db = new Database(dbPath);
  try {
    const rows = db.prepare('SELECT n.name, m.boot, m.seq, count(*) FROM messages m JOIN nodes n ON n.id = m.node GROUP BY 1, 2, 3').raw().all() as Array<
      [string, number, number, number]
    >;
    return new Map(rows.map(([n, b, s, c]) => [key(n, b, s), c]));
  } finally {
    db.close();
  }
}

describe('store crash safety (SIGKILL during ingest)', () => {
  it('keeps every acknowledged message exactly once across kills, restarts and resends', async () => {
    const msgs = allMessages();
    const byKey = new Map(msgs.map((m) => [key(m.node, m.boot, m.seq), encodeMessage(m)]));
    const acked = new Set<string>();
    let killedMidStream = 0;

    for (let r = 0; r < 6; r++) {
      const unacked = [...byKey].filter(([k]) => !acked.has(k)).map(([, line]) => line);
      // Some already-acknowledged messages again: the node "lost" our ack.
      const again = [...acked].filter((_, i) => i % 17 === r % 17).map((k) => byKey.get(k)!);
      const lines = [...again.slice(0, 30), ...unacked];
      const res = await round(lines, 30 + Math.floor(Math.random() * 250));
      expect(res.exit.signal, res.stderr).toBe('SIGKILL');
      for (const k of res.acked) acked.add(k);
      // Killed while acknowledging: some acks out, some messages still unacknowledged.
      if (res.acked.length > 0 && acked.size < msgs.length) killedMidStream++;
      // The invariant after every crash: all acknowledged messages are stored, none twice.
      const rows = rowsOf();
      for (const k of acked) expect(rows.get(k), k).toBe(1);
      for (const [k, c] of rows) expect(c, k).toBe(1);
    }
    expect(killedMidStream).toBeGreaterThan(0);

    // Final run without a kill: everything left, plus duplicates of acknowledged ones.
    const rest = [...byKey].filter(([k]) => !acked.has(k)).map(([, line]) => line);
    const dups = [...acked].slice(0, 50).map((k) => byKey.get(k)!);
    const last = await round([...dups, ...rest], null);
    expect(last.done, last.stderr).toBe(true);
    for (const k of last.acked) acked.add(k);
    expect(acked.size).toBe(msgs.length);
    for (const d of dups.map((l) => JSON.parse(l) as UplinkMessage)) expect(last.acked).toContain(key(d.node, d.boot, d.seq));

    const db = new Database(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const rows = rowsOf();
    expect(rows.size).toBe(msgs.length);
    for (const k of byKey.keys()) expect(rows.get(k), k).toBe(1);

    // Nothing counted twice downstream either: folding everything gives one sample per stored message.
    const store = Store.open(dbPath);
    store.maintenance(Date.now() + 2 * HOUR_MS);
    const litres = store.hourly({ node: 'fuel-1', metric: 'litres' }).reduce((s, h) => s + h.count, 0);
    expect(litres).toBe(msgs.filter((m) => m.type === 'fuel').length);
    store.close();
  }, 120_000);
});
