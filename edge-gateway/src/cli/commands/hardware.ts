// `noodsteun hardware …`: figures a technician needs when sizing or commissioning a point.
import { UsageError, parseCommandArgs, wantsHelp, type Command } from '../command.js';
import { EXAMPLE_POWER_CONFIG, loadPowerConfig, toPowerSystem, type PowerBudgetConfig } from '../../../../hardware/src/power-config.js';
import {
  LOAD_CATEGORIES,
  batteryUsableWh,
  busSupplyW,
  chargingBudget,
  continuousRun,
  criticalLoad,
  cycledRun,
  portsBusW,
  usableFuelL,
  type PowerSystem,
} from '../../../../hardware/src/power-model.js';

const USAGE = `Usage: noodsteun hardware <sub-command> [options]

  power-budget [--config <file>] [--json]
      Critical load, power left for phone charging, and runtime from the fuel in the tank and the
      battery bank at the generator's fuel curve — the model the charging service and the
      coordinator's forecast use. Default config: hardware/power-budget.example.json.
      --json prints the figures as JSON instead of a table.

Figures and assumptions explained: hardware/README.md ("Power budget").`;

const w = (v: number): string => `${v.toFixed(1)} W`;
const h = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} h (${(v / 24).toFixed(1)} d)` : 'unlimited');

function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.filter(([, v]) => v !== '').map(([k]) => k.length));
  return rows.map(([k, v]) => (v === '' ? `\n${k}` : `  ${k.padEnd(width)}  ${v}`)).join('\n');
}

/** All figures the command prints, computed once so table and JSON cannot disagree. */
export function powerBudget(config: PowerBudgetConfig) {
  const s: PowerSystem = toPowerSystem(config);
  const critical = criticalLoad(s.loads);
  const onGenerator = chargingBudget(s, true);
  const onBattery = chargingBudget(s, false);
  const chargingBusW = portsBusW(s, onGenerator.portsW);
  return {
    name: config.name,
    critical,
    generatorRatedW: s.generator.ratedW,
    busSupplyW: busSupplyW(s),
    busLimitedBy: s.conversion.chargerMaxW < s.generator.ratedW * s.generator.maxContinuousFraction * s.conversion.chargerEfficiency ? 'charger' : 'generator',
    charging: { onGenerator, onBattery },
    fuel: { usableL: usableFuelL(s.tank) },
    battery: { usableWh: batteryUsableWh(s.battery) },
    continuous: continuousRun(s),
    continuousCharging: continuousRun(s, chargingBusW),
    cycled: cycledRun(s),
  };
}

export function formatPowerBudget(b: ReturnType<typeof powerBudget>): string {
  const rows: Array<[string, string]> = [[`Power budget: ${b.name}`, ''], ['Critical load (average, battery bus)', '']];
  for (const c of LOAD_CATEGORIES) if (b.critical.byCategory[c] > 0) rows.push([c, w(b.critical.byCategory[c])]);
  rows.push(['total', w(b.critical.totalW)]);
  rows.push(['Supply', '']);
  rows.push(['generator rating (kVA × pf)', w(b.generatorRatedW)]);
  rows.push(['bus supply while it runs', `${w(b.busSupplyW)} (limited by the ${b.busLimitedBy})`]);
  rows.push(['usable fuel', `${b.fuel.usableL.toFixed(1)} L`]);
  rows.push(['usable battery energy', `${b.battery.usableWh.toFixed(0)} Wh`]);
  rows.push(['Phone charging (never from the critical load)', '']);
  rows.push(['generator running', `${w(b.charging.onGenerator.portsW)} = ${b.charging.onGenerator.ports} ports (limited by ${b.charging.onGenerator.limitedBy})`]);
  rows.push(['generator off', `${w(b.charging.onBattery.portsW)} = ${b.charging.onBattery.ports} ports (limited by ${b.charging.onBattery.limitedBy})`]);
  const run = (label: string, r: { generatorW: number; loadFraction: number; fuelLph: number; fuelH: number; batteryH: number; totalH: number }, avg?: number) => {
    rows.push([label, '']);
    rows.push(['generator load', `${w(r.generatorW)} (${(r.loadFraction * 100).toFixed(1)} % of rating)`]);
    rows.push(['fuel use while running', `${r.fuelLph.toFixed(3)} L/h`]);
    if (avg !== undefined) rows.push(['fuel use averaged over a cycle', `${avg.toFixed(3)} L/h`]);
    rows.push(['runtime on fuel', h(r.fuelH)]);
    rows.push(['then on battery', h(r.batteryH)]);
    rows.push(['total until the lights go out', h(r.totalH)]);
  };
  run('Runtime, generator always on, no phone charging', b.continuous);
  run('Runtime, generator always on, all charging ports busy', b.continuousCharging);
  run(
    `Runtime, generator cycled (runs ${b.cycled.onH.toFixed(1)} h to refill the battery, off ${b.cycled.offH.toFixed(1)} h)`,
    b.cycled,
    b.cycled.averageLph,
  );
  return table(rows).trimStart() + '\n';
}

export const command: Command = {
  summary: 'hardware figures: power budget (critical load, charging headroom, runtime)',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === undefined) throw new UsageError('missing sub-command');
    if (sub !== 'power-budget') throw new UsageError(`unknown sub-command '${sub}'`);
    if (wantsHelp(rest)) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const { values } = parseCommandArgs(rest, { config: { type: 'string' }, json: { type: 'boolean' } });
    const budget = powerBudget(loadPowerConfig(values.config ?? EXAMPLE_POWER_CONFIG));
    process.stdout.write(values.json ? JSON.stringify(budget, null, 2) + '\n' : formatPowerBudget(budget));
    return 0;
  },
};
