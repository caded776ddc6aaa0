// Suite `ingest`: how fast the gateway persists acknowledged messages, and how many bytes a day of
// default telemetry writes to the SD card. See bench/README.md `## ingest`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../edge-gateway/src/core/bus.js';
import { ManualClock } from '../../edge-gateway/src/core/clock.js';
import type { Clock } from '../../edge-gateway/src/core/clock.js';
import type { GatewayEvents } from '../../edge-gateway/src/core/events.js';
import type { IngestOptions } from '../../edge-gateway/src/ingest/index.js';
import { DEFAULT_COMMIT_INTERVAL_MS, DEFAULT_MAINTENANCE_INTERVAL_MS, Ingest } from '../../edge-gateway/src/ingest/index.js';
import type { UplinkMessage } from '../../edge-gateway/src/protocol/index.js';
import type { MessageRow, StoreOptions } from '../../edge-gateway/src/store/index.js';
import { DAY_MS, HOUR_MS, Store } from '../../edge-gateway/src/store/index.js';
import { DEFAULT_NODES, TelemetrySource } from './_telemetry.js';
import { measureGatewayLoad } from './_gateway-load.js';

export { DEFAULT_INTERVALS_MS, DEFAULT_NODES, TelemetrySource, messagesPerDay } from './_telemetry.js';

type Figure = { value: number; unit: string };

export interface IoCounters {
  /** Bytes passed to write()/pwrite() by this process. */
  wchar: number;
  /** Bytes this process caused to be sent to the storage layer (counted per page dirtied, 4 KiB blocks). */
  writeBytes: number;
}

/** This process's I/O counters from /proc/self/io (Linux; the Pi runs Linux). */
export function ioCounters(): IoCounters {
  let text: string;
  try {
    text = readFileSync('/proc/self/io', 'utf8');
  } catch (err) {
    throw new Error('the ingest disk figures need /proc/self/io (Linux with task I/O accounting)', { cause: err });
  }
  const get = (k: string) => Number(/^(\w+): (\d+)$/m.exec(text.split('\n').find((l) => l.startsWith(k + ':')) ?? '')?.[2] ?? NaN);
  return { wchar: get('wchar'), writeBytes: get('write_bytes') };
}

/** A store + ingest on a file in a fresh temp dir, configured as in production. */
export function openPipeline(opts: { clock: Clock; store?: StoreOptions; ingest?: Partial<IngestOptions>; dir?: string }) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'ns-bench-ingest-'));
  const store = Store.open(join(dir, 'gw.db'), opts.store);
  const bus = new EventBus<GatewayEvents>();
  let acked = 0;
  const ingest = new Ingest({
    store,
    bus,
    clock: opts.clock,
    sendAck: (_link, ack) => {
      acked += ack.body.seqs.length;
      return true;
    },
    ...opts.ingest,
  });
  ingest.start();
  return {
    dir,
    store,
    bus,
    ingest,
    acked: () => acked,
    close(remove = true) {
      ingest.stop();
      store.close();
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Messages per second stored AND acknowledged (fsync'd group commits, synchronous=FULL) on a file in a
 * temp dir, offered as fast as the ingest accepts them.
 */
export function measurePersistRate(opts: { messages?: number; store?: StoreOptions; ingest?: Partial<IngestOptions> } = {}): { msgsPerS: number; commits: number } {
  const n = opts.messages ?? 50_000;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const source = new TelemetrySource();
  const msgs: UplinkMessage[] = [];
  source.start(clock, (m) => msgs.push(m));
  while (msgs.length < n) clock.advance(HOUR_MS);
  source.stop();
  const p = openPipeline({ clock, store: opts.store, ingest: { maintenanceIntervalMs: null, ...opts.ingest } });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) p.ingest.accept(msgs[i]!, 'serial:/dev/ttyUSB0', clock.now());
  p.ingest.flush();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (p.acked() !== n) throw new Error(`only ${p.acked()} of ${n} acknowledged`);
  const commits = p.ingest.stats.commits;
  p.close();
  return { msgsPerS: n / s, commits };
}

export interface DayResult {
  messages: number;
  commits: number;
  /** write_bytes during the simulated day: 4 KiB blocks dirtied in the DB, WAL and -shm files. */
  diskBytes: number;
  /** wchar during the day: bytes SQLite handed to pwrite(). */
  sqliteBytes: number;
  /** Size of the database file after the day. */
  dbFileBytes: number;
  wallMs: number;
}

/**
 * One simulated day of default telemetry through ingest and maintenance (ManualClock), measured in steady
 * state: two earlier days are loaded first (quickly, without fsync), so the measured day also folds hours
 * and deletes raw rows leaving the 48 h window, as every day on a running point does.
 */
export function simulateDay(opts: { commitIntervalMs?: number; store?: StoreOptions; maintenanceIntervalMs?: number } = {}): DayResult {
  const t0 = Date.UTC(2026, 0, 1);
  const dir = mkdtempSync(join(tmpdir(), 'ns-bench-day-'));
  const source = new TelemetrySource(DEFAULT_NODES);
  try {
    // Days 1–2: straight into the store in large transactions.
    {
      const store = Store.open(join(dir, 'gw.db'), opts.store);
      store.db.pragma('synchronous = OFF');
      const clock = new ManualClock(t0);
      let rows: MessageRow[] = [];
      source.start(clock, (m) => rows.push({ node: m.node, boot: m.boot, seq: m.seq, ts: m.ts, received: clock.now(), type: m.type, body: JSON.stringify(m.body), link: 'serial:/dev/ttyUSB0' }));
      for (let h = 0; h < 48; h++) {
        clock.advance(HOUR_MS);
        store.commit(rows);
        rows = [];
      }
      source.stop();
      while (store.maintenance(clock.now()).more);
      store.close();
    }
    // Day 3, measured: the gateway restarts and runs a day on virtual time.
    const clock = new ManualClock(t0 + 2 * DAY_MS);
    const p = openPipeline({
      clock,
      dir,
      store: opts.store,
      ingest: { commitIntervalMs: opts.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS, maintenanceIntervalMs: opts.maintenanceIntervalMs ?? DEFAULT_MAINTENANCE_INTERVAL_MS },
    });
    let messages = 0;
    source.start(clock, (m) => {
      messages++;
      p.ingest.accept(m, 'serial:/dev/ttyUSB0', clock.now());
    });
    const io0 = ioCounters();
    const w0 = Date.now();
    for (let h = 0; h < 24; h++) clock.advance(HOUR_MS);
    p.ingest.flush();
    const io1 = ioCounters();
    const wallMs = Date.now() - w0;
    source.stop();
    const dbFileBytes = (p.store.db.pragma('page_count', { simple: true }) as number) * (p.store.db.pragma('page_size', { simple: true }) as number);
    const commits = p.ingest.stats.commits;
    p.close(false);
    return { messages, commits, diskBytes: io1.writeBytes - io0.writeBytes, sqliteBytes: io1.wchar - io0.wchar, dbFileBytes, wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MB = 1e6;

export default async function run(): Promise<Record<string, Figure>> {
  const rate = measurePersistRate();
  const day = simulateDay();
  const load = await measureGatewayLoad();
  return {
    rss_mb_8_nodes: { value: load.rssMb, unit: 'MB' },
    cpu_pct_8_nodes: { value: load.cpuPct, unit: '% of one core' },
    persist_msgs_per_s: { value: Math.round(rate.msgsPerS), unit: 'msg/s' },
    disk_mb_per_day: { value: Math.round((day.diskBytes / MB) * 10) / 10, unit: 'MB/day' },
    sqlite_write_mb_per_day: { value: Math.round((day.sqliteBytes / MB) * 10) / 10, unit: 'MB/day' },
    msgs_per_day: { value: day.messages, unit: 'msg/day' },
    commits_per_day: { value: day.commits, unit: 'commit/day' },
  };
}
