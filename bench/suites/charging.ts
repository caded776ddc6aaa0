// Suite `charging`: the charging service's budget policy against the naive baseline (every port on, first
// come first served until full) on the same simulated 72 h outage, same residents, same power.
// See bench/README.md `## charging` for the demand and power and how each figure is computed.
import type { ChargingSimResult, SimEvent } from '../../edge-gateway/src/charging/simulation.js';
import { ChargingSimulation } from '../../edge-gateway/src/charging/simulation.js';

type Figure = { value: number; unit: string };

const SEEDS = [1, 2, 3];
const HOURS = 72;

/** Fuel runs short: 10 L in the tank, the generator runs continuously, staff cannot refuel until a delivery at 40 h. */
const EVENTS: SimEvent[] = [
  { atH: 0, run: (s) => s.world.setGeneratorMode('on') },
  { atH: 40, run: (s) => s.world.refuel(40) },
];

function simulate(policy: 'budget' | 'naive', seed: number): ChargingSimResult {
  return new ChargingSimulation({ policy, hours: HOURS, seed, scenario: { generator: { initialFuelL: 10 }, staff: { refuelBelowFrac: 0 } }, events: EVENTS }).run();
}

function pooled(results: ChargingSimResult[]) {
  const waits = results.flatMap((r) => r.residents.filter((x) => x.pluggedAt !== null).map((x) => ((x.pluggedAt ?? 0) - x.arrivedAt) / 60_000)).sort((a, b) => a - b);
  const q = (p: number) => (waits.length ? (waits[Math.min(waits.length - 1, Math.ceil(p * waits.length) - 1)] ?? 0) : 0);
  const served = results.reduce((s, r) => s + r.served, 0);
  const kwh = results.reduce((s, r) => s + r.busWh, 0) / 1000;
  return {
    served,
    arrived: results.reduce((s, r) => s + r.arrived, 0),
    kwh,
    perKwh: kwh > 0 ? served / kwh : 0,
    violations: results.reduce((s, r) => s + r.reserveViolationMin, 0),
    refusedNoPower: results.reduce((s, r) => s + r.refused, 0),
    p50: q(0.5),
    p95: q(0.95),
  };
}

export default async function run(): Promise<Record<string, Figure>> {
  const budget = pooled(SEEDS.map((s) => simulate('budget', s)));
  const naive = pooled(SEEDS.map((s) => simulate('naive', s)));
  const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    residents_arriving: { value: budget.arrived, unit: 'residents' },
    residents_served: { value: budget.served, unit: 'residents' },
    residents_served_naive: { value: naive.served, unit: 'residents' },
    charging_kwh: { value: round(budget.kwh, 2), unit: 'kWh' },
    charging_kwh_naive: { value: round(naive.kwh, 2), unit: 'kWh' },
    served_per_kwh_ratio_vs_naive: { value: round(budget.perKwh / naive.perKwh, 2), unit: 'x' },
    reserve_violations: { value: budget.violations, unit: 'min' },
    reserve_violations_naive: { value: naive.violations, unit: 'min' },
    refused_no_power: { value: budget.refusedNoPower, unit: 'residents' },
    wait_p50_min: { value: round(budget.p50), unit: 'min' },
    wait_p95_min: { value: round(budget.p95), unit: 'min' },
    wait_p50_min_naive: { value: round(naive.p50), unit: 'min' },
    wait_p95_min_naive: { value: round(naive.p95), unit: 'min' },
  };
}
