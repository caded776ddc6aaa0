import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteChargingPersistence, withChargingMigration } from '../../src/charging/store.js';
import { main } from '../../src/cli/main.js';
import { MIGRATIONS, migrate } from '../../src/store/index.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'noodsteun-charging-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('noodsteun charging', () => {
  it('answers --help for the command', async () => {
    expect(await main(['charging', '--help'])).toBe(0);
    expect(out).toContain('evidence --db <file>');
    expect(out).toContain('simulate [--policy budget|naive]');
  });

  it('exports the hourly evidence of a database as CSV', async () => {
    const file = join(dir, 'gateway.db');
    const db = new Database(file);
    migrate(db, withChargingMigration(MIGRATIONS));
    const p = new SqliteChargingPersistence(db);
    const h = Date.UTC(2026, 0, 5, 10);
    p.append({ kind: 'taken', at: h + 1000, number: 1 });
    p.append({ kind: 'started', at: h + 5 * 60_000, number: 1, port: 0, waitMs: 4 * 60_000 });
    p.append({ kind: 'ended', at: h + 70 * 60_000, number: 1, port: 0, wh: 7.5, activeMs: 45 * 60_000, end: 'timeout', served: true });
    p.append({ kind: 'refused', at: h + 80 * 60_000, reason: 'no-power' });
    db.close();
    expect(await main(['charging', 'evidence', '--db', file])).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('hour,numbersTaken,sessionsStarted,sessionsEnded,served,energyWh,waitP50Min,waitP95Min,refusedNoPower,refusedOther,missedOffers,cancelled,faults,endedFull,endedUnplugged,endedTimeout');
    expect(lines.slice(1)).toEqual(['2026-01-05T10:00:00.000Z,1,1,0,0,0,4,4,0,0,0,0,0,0,0,0', '2026-01-05T11:00:00.000Z,0,0,1,1,7.5,,,1,0,0,0,0,0,0,1']);
  });

  it('runs a short simulation and reports usage errors', async () => {
    expect(await main(['charging', 'simulate', '--hours', '6', '--seed', '2'])).toBe(0);
    const r = JSON.parse(out) as { policy: string; hours: number; arrived: number; reserveViolationMin: number };
    expect(r).toMatchObject({ policy: 'budget', hours: 6, reserveViolationMin: 0 });
    expect(r.arrived).toBeGreaterThan(0);
    expect(await main(['charging', 'simulate', '--policy', 'greedy'])).toBe(2);
    expect(err).toContain('--policy must be budget or naive');
  });
});
