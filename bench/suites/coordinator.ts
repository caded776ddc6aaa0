// Suite `coordinator`: forecast accuracy on simulated fuel traces, and the coordinator's per-status
// work for 1,000 points over a simulated day. See bench/README.md `## coordinator`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { forecastFuel } from '../../edge-gateway/src/coordinator/forecast.js';
import { mulberry32, simulateFuelTrace } from '../../edge-gateway/src/coordinator/fuel-trace.js';
import { PointBook } from '../../edge-gateway/src/coordinator/point-book.js';
import { PointStatusSchema, type PointStatus } from '../../edge-gateway/src/protocol/index.js';
import { migrate } from '../../edge-gateway/src/store/migrations.js';
import { CoordinatorMonitor } from '../../edge-gateway/src/coordinator/monitor.js';
import { ManualClock } from '../../edge-gateway/src/core/clock.js';
import { silentLogger } from '../../edge-gateway/src/log/logger.js';

type Figure = { value: number; unit: string };

const HOUR = 3_600_000;

export interface ForecastScenario {
  traces: number;
  intervalMs: number;
  noiseSdL: number;
  sloshP: number;
  sloshL: number;
}

/** Default scenario: status every 60 s (the point's default), ±0.2 L sensor noise, 10 % slosh spikes of ±0.75–2.25 L. */
export const FORECAST_SCENARIO: ForecastScenario = { traces: 200, intervalMs: 60_000, noiseSdL: 0.2, sloshP: 0.1, sloshL: 1.5 };

/** MAPE of hours-to-empty after one hour of data, and the share of traces with no estimate. */
export function forecastAccuracy(s: ForecastScenario = FORECAST_SCENARIO): { mapePct: number; unknownPct: number } {
  const errors: number[] = [];
  let unknown = 0;
  for (let i = 1; i <= s.traces; i++) {
    const rand = mulberry32(i * 7919);
    // 20–60 L in the 60 L tank; 0.8–3.2 kW on the 4.8 kW generator.
    const tr = simulateFuelTrace({ rand, startL: 20 + 40 * rand(), loadW: 800 + 2400 * rand(), intervalMs: s.intervalMs, durationMs: HOUR, noiseSdL: s.noiseSdL, sloshP: s.sloshP, sloshL: s.sloshL });
    const f = forecastFuel(tr.readings);
    if (f.kind !== 'estimate') {
      unknown++;
      continue;
    }
    const truth = tr.truth.at(-1)! / tr.rateLphAtEnd;
    errors.push(Math.abs(f.hoursToEmpty - truth) / truth);
  }
  return { mapePct: (100 * errors.reduce((a, b) => a + b, 0)) / Math.max(1, errors.length), unknownPct: (100 * unknown) / s.traces };
}

export interface IngestDayResult {
  wallS: number;
  /** CPU time (user + system) of this process: comparable when other work shares the cores. */
  cpuS: number;
  statuses: number;
  peakRssMb: number;
  historyRows: number;
}

/**
 * 1,000 points each sending a status every 5 minutes for 24 simulated hours, as JSON payloads:
 * parse + validate, point book, then the running coordinator's monitor (coordinator/monitor.ts) as the
 * gateway wires it: history rows (batched), evidence counters, alert rules with their store; its tick
 * every 10 s of simulated time (silence for every point, flushes, hourly downsampling); and the console's
 * overview (a fuel forecast and urgency for every point) every 15 simulated minutes. No broker.
 */
export function ingestDay(points = 1000, intervalMs = 5 * 60_000, dayMs = 24 * HOUR): IngestDayResult {
  const dir = mkdtempSync(join(tmpdir(), 'noodsteun-coord-bench-'));
  const db = new Database(join(dir, 'coordinator.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    const book = new PointBook(15 * 60_000);
    const t0 = 1_800_000_000_000;
    const clock = new ManualClock(t0);
    const monitor = new CoordinatorMonitor({ db, book, clock, log: silentLogger });
    const ids = Array.from({ length: points }, (_, i) => `p${i}`);
    const rand = mulberry32(42);
    const fuel = ids.map(() => 60 * (0.3 + 0.7 * rand()));
    const rate = ids.map(() => 0.5 + rand());
    let statuses = 0;
    let peakRss = process.memoryUsage().rss;
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    for (let t = 0; t < dayMs; t += intervalMs) {
      const now = t0 + t;
      for (let i = 0; i < points; i++) {
        fuel[i] = Math.max(0, fuel[i]! - (rate[i]! * intervalMs) / HOUR);
        if (fuel[i]! < 5) fuel[i] = 60; // refuelled
        const litres = Math.min(60, Math.max(0, Math.round((fuel[i]! + 0.2 * (rand() - 0.5)) * 10) / 10));
        const payload = JSON.stringify({
          v: 1,
          point: ids[i]!,
          name: `Punt ${i}`,
          seq: t / intervalMs + 1,
          ts: now,
          nodes: [
            { id: 'fuel-1', kind: 'fuel', online: true, lastSeen: now },
            { id: 'bat-1', kind: 'battery', online: true, lastSeen: now },
          ],
          fuel: { litres, pct: Math.round((litres / 60) * 1000) / 10, status: 'ok' },
          battery: { v: 25.6, soc: 60 + 30 * Math.sin(t / (6 * HOUR) + i), a: 3 },
          visitors: { inside: i % 40, entries: t / intervalMs },
          charging: { portsOn: i % 8, ports: 8, watts: 40 },
          alarms: [],
        } satisfies PointStatus);
        const parsed = PointStatusSchema.safeParse(JSON.parse(payload));
        if (!parsed.success) throw new Error(`bench status rejected: ${parsed.error.message}`);
        const s = parsed.data;
        if (book.applyStatus(s, now) === 'accepted') monitor.status(s, now);
        statuses++;
      }
      // The gateway ticks the monitor every 10 s: 30 ticks per 5-minute round.
      for (let tick = 0; tick < intervalMs; tick += 10_000) monitor.tick(now + tick);
      // A console looking at the overview every 15 minutes: every point's fuel forecast and urgency.
      if (t % (15 * 60_000) === 0 && monitor.overview(now + intervalMs).length !== points) throw new Error('bench: points missing from the overview');
      clock.advance(intervalMs);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const historyRows = (db.prepare('SELECT count(*) AS n FROM point_status').get() as { n: number }).n;
    return { wallS, cpuS, statuses, peakRssMb: peakRss / 2 ** 20, historyRows };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<Record<string, Figure>> {
  const f = forecastAccuracy();
  const day = ingestDay();
  // Loaded only now: the console harness (gateway, Chromium driver) would otherwise sit in the RSS measured above.
  const { consoleLoad } = await import('./_coordinator-console.js');
  const load = await consoleLoad();
  return {
    forecast_mape_pct: { value: Math.round(f.mapePct * 100) / 100, unit: '%' },
    forecast_unknown_pct: { value: Math.round(f.unknownPct * 10) / 10, unit: '%' },
    ingest_1000_points_day_s: { value: Math.round(day.wallS * 100) / 100, unit: 's' },
    ingest_1000_points_day_cpu_s: { value: Math.round(day.cpuS * 100) / 100, unit: 's' },
    ingest_rss_mb: { value: Math.round(day.peakRssMb), unit: 'MB' },
    // Chromium against a real coordinator gateway (_coordinator-console.ts); left out, with a warning, without Chromium.
    ...(load ? { console_load_ms_1000_points: { value: Math.round(load.medianMs), unit: 'ms' } } : {}),
  };
}
