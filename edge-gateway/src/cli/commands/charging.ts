// `noodsteun charging …`: the phone-charging module's evidence for the pilot evaluation, and its
// simulation (the same one the tests and bench/suites/charging.ts run).
import Database from 'better-sqlite3';
import { UsageError, parseCommandArgs, wantsHelp, type Command } from '../command.js';
import { evidenceCsv, hourlyEvidence } from '../../charging/evidence.js';
import { ChargingSimulation } from '../../charging/simulation.js';
import { SqliteChargingPersistence } from '../../charging/store.js';

const USAGE = `Usage: noodsteun charging <sub-command> [options]

  evidence --db <file> [--from <ISO time>] [--to <ISO time>]
      Per-hour sessions, residents served, energy, waiting times and refusals for lack of power, as CSV,
      from a gateway database (anonymous: numbers and ports only). The gateway holds its database
      exclusively while it runs: copy it (or use a backup) to read it live.

  simulate [--policy budget|naive] [--hours <h>] [--seed <n>] [--scarce] [--csv]
      Runs the charging simulation in virtual time on the simulated point and prints a summary as
      JSON (or, with --csv, the hourly evidence of the budget policy). --scarce: 10 L of fuel, the
      generator always on, a fuel delivery at 40 h (the bench's scenario, bench/README.md "charging").`;

function time(v: string | undefined, fallback: number, flag: string): number {
  if (v === undefined) return fallback;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`${flag}: not a date/time: ${v}`);
  return t;
}

async function evidence(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { db: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } });
  if (!values.db) throw new UsageError('--db <file> is required');
  const db = new Database(values.db, { readonly: true, fileMustExist: true });
  try {
    const p = new SqliteChargingPersistence(db);
    const rows = hourlyEvidence(p.records(time(values.from, 0, '--from'), time(values.to, Number.MAX_SAFE_INTEGER, '--to')));
    process.stdout.write(evidenceCsv(rows));
  } finally {
    db.close();
  }
  return 0;
}

async function simulate(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    policy: { type: 'string', default: 'budget' },
    hours: { type: 'string', default: '72' },
    seed: { type: 'string', default: '1' },
    scarce: { type: 'boolean', default: false },
    csv: { type: 'boolean', default: false },
  });
  const policy = values.policy;
  if (policy !== 'budget' && policy !== 'naive') throw new UsageError('--policy must be budget or naive');
  const hours = Number(values.hours);
  const seed = Number(values.seed);
  if (!(hours > 0 && hours <= 24 * 14)) throw new UsageError('--hours must be in (0, 336]');
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
  if (values.csv && policy !== 'budget') throw new UsageError('--csv needs --policy budget (the naive point keeps no records)');
  const sim = new ChargingSimulation({
    policy,
    hours,
    seed,
    ...(values.scarce
      ? {
          scenario: { generator: { initialFuelL: 10 }, staff: { refuelBelowFrac: 0 } },
          events: [
            { atH: 0, run: (s: ChargingSimulation) => s.world.setGeneratorMode('on') },
            { atH: 40, run: (s: ChargingSimulation) => s.world.refuel(40) },
          ],
        }
      : {}),
  });
  const t0 = sim.clock.now();
  const r = sim.run();
  if (values.csv) {
    process.stdout.write(evidenceCsv(hourlyEvidence(sim.persistence.records(t0, Number.MAX_SAFE_INTEGER))));
    return 0;
  }
  const { residents: _residents, ...summary } = r;
  process.stdout.write(JSON.stringify({ ...summary, stages: summary.stages.map((s) => ({ ...s, atH: Math.round(((s.at - t0) / 3_600_000) * 100) / 100 })) }, null, 2) + '\n');
  return 0;
}

export const command: Command = {
  summary: 'phone charging: hourly evidence CSV from the database, charging simulation',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (!sub || wantsHelp(argv)) {
      process.stdout.write(USAGE + '\n');
      return sub ? 0 : 2;
    }
    if (sub === 'evidence') return evidence(rest);
    if (sub === 'simulate') return simulate(rest);
    throw new UsageError(`unknown sub-command ${sub}`);
  },
};
