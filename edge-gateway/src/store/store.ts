// The gateway's SQLite store. The Pi's SD card is the constraint: few bytes written per message, and
// nothing acknowledged lost on SIGKILL or power cut. Writers batch (see ingest/ingest.ts: group commit).
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { HeartbeatBody, UplinkMessage } from '../protocol/index.js';
import type { Logger, LogLevel } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { StoreError } from './errors.js';
import { migrate } from './migrations.js';
import { metricsOf } from './metrics.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface StoreOptions {
  /** Raw messages are kept this long, then deleted once folded into hourly aggregates. Default 48 h. */
  rawRetentionMs?: number;
  /** Events are kept this long. Default 30 days. */
  eventRetentionMs?: number;
  /**
   * Page size for a NEW database file (ignored for an existing one). Each commit rewrites whole pages
   * (the table's last leaf, plus interior pages when it splits), so smaller pages mean fewer bytes per
   * group commit. Measured on a simulated day (bench/README.md `## ingest`): 4096 wrote 32 % more than 1024;
   * 512 wrote 4 % less but pushes bodies over ~480 bytes (a 16-port charger) into overflow pages.
   */
  pageSize?: number;
  /** WAL pages before an automatic checkpoint. More pages let repeated writes to one page coalesce. */
  walAutocheckpointPages?: number;
  /**
   * Let other processes open the database while the gateway runs (e.g. the sqlite3 shell for diagnosis).
   * Default false: the gateway holds an exclusive lock, so SQLite keeps the WAL index in heap memory
   * instead of the mmapped `-shm` file, whose pages the kernel would otherwise write back to the card
   * every ~30 s forever. A WAL left by a crash is still recovered at the next open.
   */
  shared?: boolean;
  log?: Logger;
}

/** One uplink message as stored; `body` is already JSON text (serialised by the ingest). */
export interface MessageRow {
  node: string;
  boot: number;
  seq: number;
  /** Node's clock. */
  ts: number;
  /** Gateway's receive time. */
  received: number;
  type: UplinkMessage['type'];
  body: string;
  link: string;
}

export interface StoredMessage extends Omit<MessageRow, 'body'> {
  id: number;
  body: unknown;
}

export interface EventRecord {
  ts: number;
  level: LogLevel;
  /** Who reports it, e.g. `gw:ingest`. */
  source: string;
  kind: string;
  data?: unknown;
}

export interface StoredEvent extends EventRecord {
  id: number;
}

export interface NodeRecord {
  name: string;
  kind: string | null;
  fw: string | null;
  firstSeen: number;
  /** Exact up to the last maintenance pass; newer messages are in `messages` (see latestMessages). */
  lastSeen: number;
  boot: number | null;
  bootSeen: number | null;
  lastHeartbeat: HeartbeatBody | null;
  lastHeartbeatAt: number | null;
}

export interface HourlyRow {
  node: string;
  type: string;
  metric: string;
  /** Start of the hour, ms since the epoch. */
  hour: number;
  count: number;
  min: number;
  max: number;
  avg: number;
  last: number;
  lastAt: number;
}

export interface CommitResult {
  /** Rows that could not be stored (by index into the rows passed); the others are durable. */
  failed: Array<{ index: number; error: unknown }>;
}

export interface DedupFloor {
  node: string;
  boot: number;
  /** Every seq ≤ this for (node, boot) counts as already stored: its raw row has been pruned. */
  seq: number;
}

export interface MaintenanceResult {
  folded: number;
  deleted: number;
  eventsDeleted: number;
  floors: DedupFloor[];
  /** True when the row budget ran out before everything due was done: call again soon. */
  more: boolean;
}

export interface MaintenanceOptions {
  /** Rows per transaction. */
  batchRows?: number;
  /** Total rows one call may touch, so a backlog after downtime never blocks the event loop for long. */
  maxRows?: number;
}

interface NodeCache {
  id: number;
  kind: string | null;
  fw: string | null;
  boot: number | null;
  lastSeen: number;
  lastHb: string | null;
  lastHbAt: number | null;
  dirty: boolean;
}

interface Agg {
  node: number;
  type: string;
  metric: string;
  hour: number;
  n: number;
  min: number;
  max: number;
  sum: number;
  last: number;
  lastAt: number;
}

export class Store {
  readonly db: Db;
  /** Gateway boot counter, incremented at every open of a file database. */
  readonly boot: number;
  private readonly log: Logger;
  private readonly rawRetentionMs: number;
  private readonly eventRetentionMs: number;
  private readonly nodes = new Map<string, NodeCache>();
  private readonly nodeNames = new Map<number, string>();
  private readonly links = new Map<string, number>();
  private readonly st: Record<
    | 'insertMessage'
    | 'insertNode'
    | 'insertLink'
    | 'nodeBoot'
    | 'nodeIdentity'
    | 'nodeSeen'
    | 'insertEvent'
    | 'getMeta'
    | 'setMeta'
    | 'foldRows'
    | 'upsertHourly'
    | 'pruneRows'
    | 'upsertFloor'
    | 'deleteMessages'
    | 'eventHead'
    | 'deleteEvents',
    Statement
  >;
  private closed = false;

  private constructor(
    readonly path: string,
    opts: StoreOptions,
  ) {
    this.log = opts.log ?? silentLogger;
    this.rawRetentionMs = opts.rawRetentionMs ?? 48 * HOUR_MS;
    this.eventRetentionMs = opts.eventRetentionMs ?? 30 * DAY_MS;
    try {
      this.db = new Database(path);
    } catch (err) {
      throw new StoreError(`cannot open database ${path}`, { cause: err });
    }
    try {
      this.configure(opts);
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err instanceof StoreError ? err : new StoreError(`cannot prepare database ${path}`, { cause: err });
    }
    this.st = this.prepareStatements();
    this.loadCaches();
    this.boot = this.db.transaction(() => {
      const prev = this.meta('gw_boot');
      const next = (typeof prev === 'number' ? prev : 0) + 1;
      this.st.setMeta.run('gw_boot', next);
      return next;
    })();
  }

  static open(path: string, opts: StoreOptions = {}): Store {
    return new Store(path, opts);
  }

  private configure(opts: StoreOptions): void {
    const db = this.db;
    const fresh = (db.pragma('page_count', { simple: true }) as number) === 0;
    // page_size only takes effect before the first table exists (and cannot change in WAL mode).
    if (fresh) db.pragma(`page_size = ${Math.trunc(opts.pageSize ?? 1024)}`);
    if (this.path !== ':memory:' && this.path !== '') {
      // Must precede the first WAL access, or SQLite creates the -shm file anyway.
      if (!opts.shared) db.pragma('locking_mode = EXCLUSIVE');
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new StoreError(`cannot enable WAL on ${this.path} (journal_mode=${String(mode)})`);
    }
    // synchronous=FULL: in WAL mode every COMMIT fsyncs the WAL before returning. We acknowledge a
    // message only after its commit returns, and a node then forgets it, so the commit must survive a
    // power cut — NORMAL (better-sqlite3's WAL default) survives SIGKILL but may lose the last commits
    // on power loss. FULL adds an fsync per commit, not bytes; group commit keeps commits few.
    db.pragma('synchronous = FULL');
    db.pragma(`wal_autocheckpoint = ${Math.trunc(opts.walAutocheckpointPages ?? 1000)}`);
    // Truncate the WAL after a checkpoint only when a backlog grew it well past its normal size:
    // truncating and regrowing it on every cycle would cost the card block allocations.
    db.pragma('journal_size_limit = 4194304');
    // Deleted rows are not overwritten with zeros: that would double the bytes of retention deletes.
    db.pragma('secure_delete = OFF');
    // Temporary b-trees (GROUP BY at start-up) stay off the card.
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -4096');
  }

  private prepareStatements(): Store['st'] {
    const p = (sql: string) => this.db.prepare(sql);
    return {
      insertMessage: p('INSERT INTO messages (node, boot, seq, ts, received, type, body, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      insertNode: p('INSERT INTO nodes (name, first_seen, last_seen) VALUES (?, ?, ?)'),
      insertLink: p('INSERT INTO links (name) VALUES (?)'),
      nodeBoot: p('UPDATE nodes SET boot = ?, boot_seen = ? WHERE id = ?'),
      nodeIdentity: p('UPDATE nodes SET kind = ?, fw = ? WHERE id = ?'),
      nodeSeen: p('UPDATE nodes SET last_seen = max(last_seen, ?), last_hb = coalesce(?, last_hb), last_hb_at = coalesce(?, last_hb_at) WHERE id = ?'),
      insertEvent: p('INSERT INTO events (ts, level, source, kind, data) VALUES (?, ?, ?, ?, ?)'),
      getMeta: p('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: p('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      foldRows: p('SELECT id, node, type, received, body FROM messages WHERE id > ? ORDER BY id LIMIT ?'),
      upsertHourly: p(`INSERT INTO hourly (node, type, metric, hour, n, min, max, sum, last, last_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (hour, node, type, metric) DO UPDATE SET
          n = n + excluded.n,
          min = min(min, excluded.min),
          max = max(max, excluded.max),
          sum = sum + excluded.sum,
          last = CASE WHEN excluded.last_at >= last_at THEN excluded.last ELSE last END,
          last_at = max(last_at, excluded.last_at)`),
      pruneRows: p('SELECT id, node, boot, seq, received FROM messages WHERE id <= ? ORDER BY id LIMIT ?'),
      upsertFloor: p('INSERT INTO dedup_floor (node, boot, seq) VALUES (?, ?, ?) ON CONFLICT (node, boot) DO UPDATE SET seq = max(seq, excluded.seq)'),
      deleteMessages: p('DELETE FROM messages WHERE id <= ?'),
      eventHead: p('SELECT id, ts FROM events ORDER BY id LIMIT ?'),
      deleteEvents: p('DELETE FROM events WHERE id <= ?'),
    };
  }

  private loadCaches(): void {
    this.nodes.clear();
    this.nodeNames.clear();
    this.links.clear();
    const rows = this.db.prepare('SELECT id, name, kind, fw, boot, last_seen, last_hb, last_hb_at FROM nodes').all() as Array<{
      id: number;
      name: string;
      kind: string | null;
      fw: string | null;
      boot: number | null;
      last_seen: number;
      last_hb: string | null;
      last_hb_at: number | null;
    }>;
    for (const r of rows) {
      this.nodes.set(r.name, { id: r.id, kind: r.kind, fw: r.fw, boot: r.boot, lastSeen: r.last_seen, lastHb: r.last_hb, lastHbAt: r.last_hb_at, dirty: false });
      this.nodeNames.set(r.id, r.name);
    }
    for (const r of this.db.prepare('SELECT id, name FROM links').all() as Array<{ id: number; name: string }>) this.links.set(r.name, r.id);
  }

  private meta(key: string): unknown {
    return this.st.getMeta.get(key);
  }

  private nodeFor(name: string, at: number): NodeCache {
    let n = this.nodes.get(name);
    if (!n) {
      const id = Number(this.st.insertNode.run(name, at, at).lastInsertRowid);
      n = { id, kind: null, fw: null, boot: null, lastSeen: at, lastHb: null, lastHbAt: null, dirty: false };
      this.nodes.set(name, n);
      this.nodeNames.set(id, name);
    }
    return n;
  }

  private linkFor(name: string): number {
    let id = this.links.get(name);
    if (id === undefined) {
      id = Number(this.st.insertLink.run(name).lastInsertRowid);
      this.links.set(name, id);
    }
    return id;
  }

  /**
   * Stores messages and events in ONE transaction (one fsync). A row SQLite refuses (wrong type in a
   * STRICT column…) fails alone and is reported; a failure of the transaction itself throws StoreError
   * and nothing of the batch is stored.
   */
  commit(rows: readonly MessageRow[], events: readonly EventRecord[] = []): CommitResult {
    this.assertOpen();
    const failed: CommitResult['failed'] = [];
    try {
      this.db.transaction(() => {
        rows.forEach((r, index) => {
          let n: NodeCache;
          try {
            n = this.nodeFor(r.node, r.received);
            this.st.insertMessage.run(n.id, r.boot, r.seq, r.ts, r.received, r.type, r.body, this.linkFor(r.link));
          } catch (error) {
            failed.push({ index, error });
            return;
          }
          // The row is stored: a problem with the node's bookkeeping must not report it as failed
          // (it would go unacknowledged and be stored again when resent).
          try {
            this.noteNode(n, r);
          } catch (err) {
            this.log.warn('node state not updated', { node: r.node, error: err instanceof Error ? err.message : String(err) });
          }
        });
        for (const e of events) this.st.insertEvent.run(e.ts, e.level, e.source, e.kind, e.data === undefined ? null : JSON.stringify(e.data));
      })();
    } catch (err) {
      // Cached ids of nodes/links inserted by the rolled-back transaction would be dangling.
      try {
        this.loadCaches();
      } catch (reloadErr) {
        this.log.error('cannot reload node cache', { error: reloadErr instanceof Error ? reloadErr.message : String(reloadErr) });
      }
      throw new StoreError(`commit of ${rows.length} messages failed`, { cause: err });
    }
    return { failed };
  }

  /** Keeps node identity current at once (rare writes); last-seen/heartbeat only in memory until maintenance. */
  private noteNode(n: NodeCache, r: MessageRow): void {
    if (n.boot === null || r.boot > n.boot) {
      this.st.nodeBoot.run(r.boot, r.received, n.id);
      n.boot = r.boot;
    }
    if (r.received > n.lastSeen) {
      n.lastSeen = r.received;
      n.dirty = true;
    }
    if (r.type === 'hb' && (n.lastHbAt === null || r.received >= n.lastHbAt)) {
      const hb = JSON.parse(r.body) as HeartbeatBody;
      if (hb.kind !== n.kind || hb.fw !== n.fw) {
        this.st.nodeIdentity.run(hb.kind, hb.fw, n.id);
        n.kind = hb.kind;
        n.fw = hb.fw;
      }
      n.lastHb = r.body;
      n.lastHbAt = r.received;
      n.dirty = true;
    }
  }

  /** Writes last-seen and last heartbeat of nodes that changed since the previous flush. */
  flushNodes(): number {
    this.assertOpen();
    const dirty = [...this.nodes.values()].filter((n) => n.dirty);
    if (!dirty.length) return 0;
    this.db.transaction(() => {
      for (const n of dirty) this.st.nodeSeen.run(n.lastSeen, n.lastHb, n.lastHbAt, n.id);
    })();
    for (const n of dirty) n.dirty = false;
    return dirty.length;
  }

  appendEvents(events: readonly EventRecord[]): void {
    this.commit([], events);
  }

  /**
   * Folds complete hours of raw messages into `hourly`, deletes raw messages older than the retention
   * (only once folded), records the highest deleted seq per (node, boot) for dedup, expires events and
   * flushes node state. Work is bounded by `maxRows`; `more` says whether to call again.
   */
  maintenance(now: number, opts: MaintenanceOptions = {}): MaintenanceResult {
    this.assertOpen();
    const batch = Math.max(1, opts.batchRows ?? 1000);
    let budget = Math.max(batch, opts.maxRows ?? 10_000);
    const result: MaintenanceResult = { folded: 0, deleted: 0, eventsDeleted: 0, floors: [], more: false };
    const hourStart = Math.floor(now / HOUR_MS) * HOUR_MS;

    for (;;) {
      if (budget <= 0) return { ...result, more: true };
      const n = this.foldBatch(hourStart, batch);
      result.folded += n.rows;
      budget -= n.scanned;
      if (!n.full) break;
    }
    const floors = new Map<string, DedupFloor>();
    for (;;) {
      if (budget <= 0) return { ...result, floors: [...floors.values()], more: true };
      const n = this.pruneBatch(now - this.rawRetentionMs, batch, floors);
      result.deleted += n.rows;
      budget -= n.scanned;
      if (!n.full) break;
    }
    result.floors = [...floors.values()];
    for (;;) {
      if (budget <= 0) return { ...result, more: true };
      const n = this.pruneEvents(now - this.eventRetentionMs, batch);
      result.eventsDeleted += n.rows;
      budget -= n.scanned;
      if (!n.full) break;
    }
    this.flushNodes();
    return result;
  }

  private foldBatch(hourStart: number, batch: number): { rows: number; scanned: number; full: boolean } {
    return this.db.transaction(() => {
      const cursor = Number(this.meta('fold_cursor') ?? 0);
      const rows = this.st.foldRows.all(cursor, batch) as Array<{ id: number; node: number; type: string; received: number; body: string }>;
      const aggs = new Map<string, Agg>();
      let last = cursor;
      let stopped = false;
      for (const r of rows) {
        // Only complete hours: the current hour's aggregate would otherwise be rewritten every pass.
        if (r.received >= hourStart) {
          stopped = true;
          break;
        }
        last = r.id;
        const hour = Math.floor(r.received / HOUR_MS) * HOUR_MS;
        let body: unknown;
        try {
          body = JSON.parse(r.body);
        } catch {
          continue;
        }
        for (const [metric, v] of metricsOf(r.type, body)) {
          if (typeof v !== 'number' || !Number.isFinite(v)) continue;
          const key = `${r.node}\u0000${r.type}\u0000${metric}\u0000${hour}`;
          const a = aggs.get(key);
          if (!a) aggs.set(key, { node: r.node, type: r.type, metric, hour, n: 1, min: v, max: v, sum: v, last: v, lastAt: r.received });
          else {
            a.n++;
            a.min = Math.min(a.min, v);
            a.max = Math.max(a.max, v);
            a.sum += v;
            if (r.received >= a.lastAt) {
              a.last = v;
              a.lastAt = r.received;
            }
          }
        }
      }
      for (const a of aggs.values()) this.st.upsertHourly.run(a.node, a.type, a.metric, a.hour, a.n, a.min, a.max, a.sum, a.last, a.lastAt);
      if (last !== cursor) this.st.setMeta.run('fold_cursor', last);
      return { rows: last === cursor ? 0 : rows.findIndex((r) => r.id === last) + 1, scanned: rows.length, full: rows.length === batch && !stopped };
    })();
  }

  private pruneBatch(cutoff: number, batch: number, floors: Map<string, DedupFloor>): { rows: number; scanned: number; full: boolean } {
    return this.db.transaction(() => {
      const cursor = Number(this.meta('fold_cursor') ?? 0);
      const rows = this.st.pruneRows.all(cursor, batch) as Array<{ id: number; node: number; boot: number; seq: number; received: number }>;
      let lastId = 0;
      let count = 0;
      const local = new Map<string, { node: number; boot: number; seq: number }>();
      for (const r of rows) {
        if (r.received >= cutoff) break;
        lastId = r.id;
        count++;
        const key = `${r.node}\u0000${r.boot}`;
        const f = local.get(key);
        if (!f) local.set(key, { node: r.node, boot: r.boot, seq: r.seq });
        else f.seq = Math.max(f.seq, r.seq);
      }
      if (!count) return { rows: 0, scanned: rows.length, full: false };
      for (const f of local.values()) {
        this.st.upsertFloor.run(f.node, f.boot, f.seq);
        const name = this.nodeNames.get(f.node);
        if (name === undefined) continue;
        const key = `${name}\u0000${f.boot}`;
        const prev = floors.get(key);
        if (!prev || prev.seq < f.seq) floors.set(key, { node: name, boot: f.boot, seq: f.seq });
      }
      this.st.deleteMessages.run(lastId);
      return { rows: count, scanned: rows.length, full: count === batch };
    })();
  }

  private pruneEvents(cutoff: number, batch: number): { rows: number; scanned: number; full: boolean } {
    const rows = this.st.eventHead.all(batch) as Array<{ id: number; ts: number }>;
    let lastId = 0;
    let count = 0;
    for (const r of rows) {
      if (r.ts >= cutoff) break;
      lastId = r.id;
      count++;
    }
    if (count) this.st.deleteEvents.run(lastId);
    return { rows: count, scanned: rows.length, full: count === batch };
  }

  // ---- reads (start-up restore, API, tests) ----

  /** (node, boot, seq) of every raw message still stored, for rebuilding dedup state at start. */
  *messageKeys(): Generator<[node: string, boot: number, seq: number]> {
    this.assertOpen();
    const it = this.db.prepare('SELECT node, boot, seq FROM messages').raw().iterate() as IterableIterator<[number, number, number]>;
    for (const [node, boot, seq] of it) {
      const name = this.nodeNames.get(node);
      if (name !== undefined) yield [name, boot, seq];
    }
  }

  dedupFloors(): DedupFloor[] {
    this.assertOpen();
    return (this.db.prepare('SELECT n.name AS node, f.boot, f.seq FROM dedup_floor f JOIN nodes n ON n.id = f.node').all() as DedupFloor[]);
  }

  loadNodes(): NodeRecord[] {
    this.assertOpen();
    const rows = this.db.prepare('SELECT name, kind, fw, first_seen, last_seen, boot, boot_seen, last_hb, last_hb_at FROM nodes ORDER BY name').all() as Array<{
      name: string;
      kind: string | null;
      fw: string | null;
      first_seen: number;
      last_seen: number;
      boot: number | null;
      boot_seen: number | null;
      last_hb: string | null;
      last_hb_at: number | null;
    }>;
    return rows.map((r) => {
      // The cache may be newer than the row (flushed at maintenance).
      const c = this.nodes.get(r.name);
      const hb = c?.lastHb ?? r.last_hb;
      return {
        name: r.name,
        kind: c?.kind ?? r.kind,
        fw: c?.fw ?? r.fw,
        firstSeen: r.first_seen,
        lastSeen: Math.max(r.last_seen, c?.lastSeen ?? 0),
        boot: c?.boot ?? r.boot,
        bootSeen: r.boot_seen,
        lastHeartbeat: hb === null ? null : (JSON.parse(hb) as HeartbeatBody),
        lastHeartbeatAt: c?.lastHbAt ?? r.last_hb_at,
      };
    });
  }

  /** The newest stored message per node and type (one scan of the raw table). */
  latestMessages(): StoredMessage[] {
    this.assertOpen();
    const rows = this.db
      .prepare(
        `SELECT m.id, n.name AS node, m.boot, m.seq, m.ts, m.received, m.type, m.body, l.name AS link
         FROM (SELECT max(id) AS id FROM messages GROUP BY node, type) x
         JOIN messages m ON m.id = x.id JOIN nodes n ON n.id = m.node JOIN links l ON l.id = m.link
         ORDER BY m.id`,
      )
      .all() as Array<StoredMessage & { body: string }>;
    return rows.map((r) => ({ ...r, body: JSON.parse(r.body) as unknown }));
  }

  messages(filter: { node?: string; type?: string; since?: number; limit?: number } = {}): StoredMessage[] {
    this.assertOpen();
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.node !== undefined) {
      where.push('n.name = ?');
      args.push(filter.node);
    }
    if (filter.type !== undefined) {
      where.push('m.type = ?');
      args.push(filter.type);
    }
    if (filter.since !== undefined) {
      where.push('m.received >= ?');
      args.push(filter.since);
    }
    const sql = `SELECT m.id, n.name AS node, m.boot, m.seq, m.ts, m.received, m.type, m.body, l.name AS link
      FROM messages m JOIN nodes n ON n.id = m.node JOIN links l ON l.id = m.link
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY m.id LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? -1) as Array<StoredMessage & { body: string }>;
    return rows.map((r) => ({ ...r, body: JSON.parse(r.body) as unknown }));
  }

  hourly(filter: { node?: string; type?: string; metric?: string; since?: number } = {}): HourlyRow[] {
    this.assertOpen();
    const rows = this.db
      .prepare(
        `SELECT n.name AS node, h.type, h.metric, h.hour, h.n AS count, h.min, h.max, h.sum / h.n AS avg, h.last, h.last_at AS lastAt
         FROM hourly h JOIN nodes n ON n.id = h.node
         WHERE (@node IS NULL OR n.name = @node) AND (@type IS NULL OR h.type = @type) AND (@metric IS NULL OR h.metric = @metric) AND h.hour >= coalesce(@since, 0)
         ORDER BY n.name, h.type, h.metric, h.hour`,
      )
      .all({ node: filter.node ?? null, type: filter.type ?? null, metric: filter.metric ?? null, since: filter.since ?? null }) as HourlyRow[];
    return rows;
  }

  events(filter: { since?: number; kind?: string; limit?: number } = {}): StoredEvent[] {
    this.assertOpen();
    const rows = this.db
      .prepare('SELECT id, ts, level, source, kind, data FROM events WHERE ts >= coalesce(@since, 0) AND (@kind IS NULL OR kind = @kind) ORDER BY id LIMIT @limit')
      .all({ since: filter.since ?? null, kind: filter.kind ?? null, limit: filter.limit ?? -1 }) as Array<Omit<StoredEvent, 'data'> & { data: string | null }>;
    return rows.map((r) => ({ ...r, data: r.data === null ? undefined : (JSON.parse(r.data) as unknown) }));
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flushNodes();
    } catch (err) {
      this.log.warn('node state not flushed at close', { error: err instanceof Error ? err.message : String(err) });
    }
    this.closed = true;
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('store is closed');
  }
}
