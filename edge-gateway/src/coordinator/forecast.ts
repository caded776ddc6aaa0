// Hours-to-empty of a point's fuel from noisy level readings. Tank sensors slosh while the generator
// runs and jump up when someone refuels, so: a median filter finds refuels (steps up), only the
// readings since the last refuel are used, and the slope is Theil–Sen (median of pairwise slopes),
// which ignores up to ~29 % wild readings. Too little data or too much scatter gives `unknown`,
// never a confident number.

export interface LevelReading {
  /** ms since epoch */
  t: number;
  /** Litres or percent; the hours do not depend on the unit, `reserve` and `refuelStep` use the same one. */
  level: number;
}

export interface ForecastOptions {
  /** Readings older than this before the newest are ignored (a load change makes old slopes wrong). */
  windowMs?: number;
  /** Fewest readings since the last refuel for any estimate. */
  minReadings?: number;
  /** Shortest time span since the last refuel for any estimate. */
  minSpanMs?: number;
  /** A rise of the median-filtered level by more than this is a refuel. */
  refuelStep?: number;
  /** Level counted as empty (sensor blind zone, sediment). */
  reserve?: number;
  /** Relative standard error of the rate up to which the estimate counts as `high` confidence. */
  highConfidenceRelError?: number;
  /** Above this relative standard error there is no estimate (`unknown`, too noisy). */
  maxRelError?: number;
}

export const DEFAULT_FORECAST_OPTIONS: Required<ForecastOptions> = {
  windowMs: 3 * 3_600_000,
  minReadings: 8,
  minSpanMs: 30 * 60_000,
  refuelStep: 5,
  reserve: 0,
  highConfidenceRelError: 0.1,
  maxRelError: 0.35,
};

export type UnknownReason = 'no-data' | 'too-few-readings' | 'too-short' | 'too-noisy';

export type FuelForecast =
  | { kind: 'unknown'; reason: UnknownReason; readings: number; spanMs: number; refuelAt: number | null }
  /** Level not falling measurably (generator off or idle consumption below the noise): no hours. */
  | { kind: 'steady'; level: number; readings: number; spanMs: number; refuelAt: number | null }
  | {
      kind: 'estimate';
      confidence: 'high' | 'low';
      /** Fitted level at the newest reading (robust, not the last raw value). */
      level: number;
      /** Consumption per hour in the reading's unit (positive). */
      ratePerHour: number;
      hoursToEmpty: number;
      /** Range from the rate ± 2 standard errors. */
      hoursLow: number;
      hoursHigh: number;
      readings: number;
      spanMs: number;
      refuelAt: number | null;
    };

const HOUR_MS = 3_600_000;

/** k-th smallest (0-based) by quickselect, reordering `a` in place: O(n), no sort of the pairwise slopes. */
function select(a: Float64Array | number[], k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

export function median(xs: readonly number[] | Float64Array): number {
  const a = Float64Array.from(xs);
  const m = a.length >> 1;
  if (a.length % 2) return select(a, m);
  const hi = select(a, m);
  // After selecting m, everything left of m is ≤ a[m]: the lower middle is their maximum.
  let lo = -Infinity;
  for (let i = 0; i < m; i++) if (a[i]! > lo) lo = a[i]!;
  return (lo + hi) / 2;
}

/** Centred running median of width `k` (shrinks at the ends). */
export function medianFilter(xs: readonly number[], k = 5): number[] {
  const h = k >> 1;
  // One scratch window sorted by insertion: the coordinator runs this for every status of every point.
  const w = new Float64Array(k);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let n = 0;
    for (let j = Math.max(0, i - h), end = Math.min(xs.length, i + h + 1); j < end; j++) {
      const v = xs[j]!;
      let p = n++;
      while (p > 0 && w[p - 1]! > v) w[p] = w[--p]!;
      w[p] = v;
    }
    out[i] = n % 2 ? w[n >> 1]! : (w[n / 2 - 1]! + w[n / 2]!) / 2;
  }
  return out;
}

/**
 * Index of the first reading after the last refuel (0 when there was none). While the level is still
 * rising after the step (filling takes minutes), the start moves along to the top.
 */
export function lastRefuelStart(levels: readonly number[], refuelStep: number): number {
  const f = medianFilter(levels);
  let start = 0;
  let segMin = f[0] ?? 0;
  let settling = false;
  for (let i = 1; i < f.length; i++) {
    const v = f[i]!;
    if (v > segMin + refuelStep) {
      start = i;
      segMin = v;
      settling = true;
      continue;
    }
    if (settling) {
      if (v >= f[start]!) start = i;
      else settling = false;
    }
    segMin = Math.min(segMin, v);
  }
  return start;
}

/** Theil–Sen line through (x, y): slope = median of pairwise slopes, intercept = median of y − slope·x. */
export function theilSen(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const slopes = new Float64Array((xs.length * (xs.length - 1)) / 2);
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = xs[j]! - xs[i]!;
      if (dx !== 0) slopes[n++] = (ys[j]! - ys[i]!) / dx;
    }
  }
  const slope = n ? median(slopes.subarray(0, n)) : 0;
  const intercept = median(xs.map((x, i) => ys[i]! - slope * x));
  return { slope, intercept };
}

export function forecastFuel(readings: readonly LevelReading[], options: ForecastOptions = {}): FuelForecast {
  const o = { ...DEFAULT_FORECAST_OPTIONS, ...options };
  const sorted = readings.filter((r) => Number.isFinite(r.level) && Number.isFinite(r.t)).sort((a, b) => a.t - b.t);
  const newest = sorted.at(-1);
  if (!newest) return { kind: 'unknown', reason: 'no-data', readings: 0, spanMs: 0, refuelAt: null };
  const inWindow = sorted.filter((r) => r.t >= newest.t - o.windowMs);
  const start = lastRefuelStart(
    inWindow.map((r) => r.level),
    o.refuelStep,
  );
  const seg = inWindow.slice(start);
  const refuelAt = start > 0 ? seg[0]!.t : null;
  const spanMs = newest.t - seg[0]!.t;
  const base = { readings: seg.length, spanMs, refuelAt };
  if (seg.length < o.minReadings) return { kind: 'unknown', reason: 'too-few-readings', ...base };
  if (spanMs < o.minSpanMs) return { kind: 'unknown', reason: 'too-short', ...base };

  // Hours relative to the newest reading keep the numbers small and the intercept = the level now.
  const xs = seg.map((r) => (r.t - newest.t) / HOUR_MS);
  const ys = seg.map((r) => r.level);
  const { slope, intercept } = theilSen(xs, ys);
  // Scatter from the median absolute residual (1.4826·MAD ≈ σ for Gaussian noise, immune to slosh spikes).
  const sigma = 1.4826 * median(ys.map((y, i) => Math.abs(y - (intercept + slope * xs[i]!))));
  const xMean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sxx = xs.reduce((a, x) => a + (x - xMean) ** 2, 0);
  const se = sxx > 0 ? sigma / Math.sqrt(sxx) : Infinity;
  const rate = -slope;
  const level = intercept;
  if (rate <= 2 * se) {
    // Not measurably falling. With a large scatter that may just be noise hiding a drain.
    return se > 0 && sigma > o.refuelStep ? { kind: 'unknown', reason: 'too-noisy', ...base } : { kind: 'steady', level, ...base };
  }
  const rel = se / rate;
  if (rel > o.maxRelError) return { kind: 'unknown', reason: 'too-noisy', ...base };
  const usable = Math.max(0, level - o.reserve);
  return {
    kind: 'estimate',
    confidence: rel <= o.highConfidenceRelError ? 'high' : 'low',
    level,
    ratePerHour: rate,
    hoursToEmpty: usable / rate,
    hoursLow: usable / (rate + 2 * se),
    hoursHigh: usable / Math.max(rate - 2 * se, Number.EPSILON),
    ...base,
  };
}

export type BatteryTrend =
  | { kind: 'unknown'; reason: UnknownReason; readings: number }
  | { kind: 'charging' | 'discharging' | 'steady'; socPerHour: number; soc: number; readings: number; hoursToFloor: number | null };

/**
 * State-of-charge trend over the window: Theil–Sen slope (a charger switching on mid-window moves
 * the median slope only once it holds for most of the pairs). `hoursToFloor` only while discharging.
 */
export function batteryTrend(readings: readonly LevelReading[], floorSoc = 20, windowMs = HOUR_MS, minReadings = 6, steadyPerHour = 1): BatteryTrend {
  const sorted = readings.filter((r) => Number.isFinite(r.level)).sort((a, b) => a.t - b.t);
  const newest = sorted.at(-1);
  const seg = newest ? sorted.filter((r) => r.t >= newest.t - windowMs) : [];
  if (!newest) return { kind: 'unknown', reason: 'no-data', readings: 0 };
  if (seg.length < minReadings) return { kind: 'unknown', reason: 'too-few-readings', readings: seg.length };
  if (newest.t - seg[0]!.t < windowMs / 2) return { kind: 'unknown', reason: 'too-short', readings: seg.length };
  const { slope, intercept } = theilSen(
    seg.map((r) => (r.t - newest.t) / HOUR_MS),
    seg.map((r) => r.level),
  );
  const kind = Math.abs(slope) < steadyPerHour ? 'steady' : slope > 0 ? 'charging' : 'discharging';
  return { kind, socPerHour: slope, soc: intercept, readings: seg.length, hoursToFloor: kind === 'discharging' ? Math.max(0, intercept - floorSoc) / -slope : null };
}
