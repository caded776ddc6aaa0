// The gateway's recent log lines for the diagnostics screen: a bounded in-memory ring (nothing written to
// the SD card), filled by a logger that forwards every call to the real one. Only plain fields survive, and
// none that could carry personal data or secrets (names, messages, places, codes, passwords, tokens).
import type { LogLevel, Logger } from '../log/logger.js';

export interface LogLine {
  t: number;
  level: LogLevel;
  ns: string;
  msg: string;
  fields: Record<string, string | number | boolean | null>;
}

/** Field names never kept: residents' words and places, and anything secret. */
const PRIVATE_FIELD = /name|message|where|details|person|user|pass|code|token|secret|key|cookie|session|csrf|ip|email|phone/i;
const MAX_TEXT = 160;

export class LogRing {
  private readonly lines: LogLine[] = [];

  constructor(
    readonly capacity = 300,
    private readonly now: () => number = Date.now,
  ) {}

  push(level: LogLevel, ns: string, msg: string, fields?: Record<string, unknown>): void {
    const kept: LogLine['fields'] = {};
    for (const [k, v] of Object.entries(fields ?? {})) {
      if (PRIVATE_FIELD.test(k)) continue;
      if (typeof v === 'string') kept[k] = v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) + '…' : v;
      else if (typeof v === 'number' || typeof v === 'boolean' || v === null) kept[k] = v;
    }
    this.lines.push({ t: this.now(), level, ns, msg: msg.length > MAX_TEXT ? msg.slice(0, MAX_TEXT) + '…' : msg, fields: kept });
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  /** Newest last; at most `limit`, optionally only from `minLevel` up. */
  recent(limit = this.capacity, minLevel: LogLevel = 'debug'): LogLine[] {
    const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
    return this.lines.filter((l) => rank[l.level] >= rank[minLevel]).slice(-limit);
  }
}

/** A logger that writes to `inner` as before and keeps what `inner` would emit in the ring. */
export function teeLogger(inner: Logger, ring: LogRing): Logger {
  const keep = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (inner.enabled(level)) ring.push(level, inner.ns, msg, fields);
  };
  return {
    ns: inner.ns,
    debug(msg, fields) {
      inner.debug(msg, fields);
      if (inner.enabled('debug')) keep('debug', typeof msg === 'function' ? msg() : msg, fields);
    },
    info(msg, fields) {
      inner.info(msg, fields);
      keep('info', msg, fields);
    },
    warn(msg, fields) {
      inner.warn(msg, fields);
      keep('warn', msg, fields);
    },
    error(msg, fields) {
      inner.error(msg, fields);
      keep('error', msg, fields);
    },
    child: (ns) => teeLogger(inner.child(ns), ring),
    enabled: (level) => inner.enabled(level),
  };
}
