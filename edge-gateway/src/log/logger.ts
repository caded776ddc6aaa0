// Namespaced structured logs (`gw:serial`, `gw:store` …), injected rather than imported as a singleton.
// One JSON object per line on stderr by default; quiet levels cost one comparison on hot paths.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  t: string;
  level: LogLevel;
  ns: string;
  msg: string;
  [k: string]: unknown;
}

export type LogSink = (rec: LogRecord) => void;

export interface Logger {
  readonly ns: string;
  debug(msg: string | (() => string), fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(ns: string): Logger;
  enabled(level: LogLevel): boolean;
}

export const stderrSink: LogSink = (rec) => {
  process.stderr.write(JSON.stringify(rec) + '\n');
};

/** Human-readable sink for interactive runs (`npm start`). */
export const prettySink: LogSink = (rec) => {
  const { t, level, ns, msg, ...rest } = rec;
  const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
  process.stderr.write(`${t.slice(11, 19)} ${level.padEnd(5)} ${ns} ${msg}${extra}\n`);
};

export function createLogger(ns: string, opts: { level?: LogLevel; sink?: LogSink } = {}): Logger {
  const min = RANK[opts.level ?? 'info'];
  const sink = opts.sink ?? stderrSink;
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    sink({ t: new Date().toISOString(), level, ns, msg, ...fields });
  };
  return {
    ns,
    debug: (msg, fields) => {
      if (RANK.debug < min) return;
      emit('debug', typeof msg === 'function' ? msg() : msg, fields);
    },
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (sub) => createLogger(`${ns}:${sub}`, opts),
    enabled: (level) => RANK[level] >= min,
  };
}

/** Collects records in memory: for tests that assert what was logged. */
export function memoryLogger(ns = 'test'): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const log = createLogger(ns, { level: 'debug', sink: (r) => records.push(r) });
  return Object.assign(log, { records });
}

export const silentLogger: Logger = createLogger('silent', { level: 'error', sink: () => {} });

/** Narrows an unknown thrown value to a message for logs. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
