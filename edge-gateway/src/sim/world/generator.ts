// Diesel generator with a fuel tank: linear fuel curve (see GeneratorScenario), auto start/stop by
// battery SoC, staff refuelling by pouring jerrycans. Time unit inside: seconds of simulated time.
import type { GeneratorScenario } from './scenario.js';

export type GeneratorMode = 'auto' | 'on' | 'off';

export class Generator {
  mode: GeneratorMode = 'auto';
  running = false;
  fuelL: number;
  /** Electrical output in the last step (W). */
  outputW = 0;
  /** Fuel rate in the last step (L/h). */
  fuelLph = 0;
  runSeconds = 0;
  starts = 0;
  fuelUsedL = 0;
  refuelledL = 0;
  /** Litres still to pour in the refuel under way (0 when none). */
  pouringL = 0;
  outOfFuel = false;

  constructor(private readonly cfg: GeneratorScenario) {
    this.fuelL = cfg.initialFuelL;
  }

  get ratedW(): number {
    return this.cfg.ratedKw * 1000;
  }
  get tankL(): number {
    return this.cfg.tankL;
  }
  get refuelling(): boolean {
    return this.pouringL > 0;
  }

  /** Decides running state for this step from mode, battery SoC and fuel. */
  control(soc: number): void {
    const canRun = this.fuelL > 0;
    let want = this.running;
    if (this.mode === 'on') want = true;
    else if (this.mode === 'off') want = false;
    else if (!this.running && soc <= this.cfg.startSoc) want = true;
    else if (this.running && soc >= this.cfg.stopSoc) want = false;
    want = want && canRun;
    if (want && !this.running) this.starts++;
    this.running = want;
  }

  /** Runs the engine for dt seconds delivering outputW; stops it when the tank runs dry. */
  run(outputW: number, dt: number): void {
    if (!this.running) {
      this.outputW = 0;
      this.fuelLph = 0;
      return;
    }
    this.outputW = Math.min(outputW, this.ratedW);
    this.fuelLph = this.cfg.f0LphPerRatedKw * this.cfg.ratedKw + this.cfg.f1LphPerKw * (this.outputW / 1000);
    const burnt = Math.min(this.fuelL, (this.fuelLph * dt) / 3600);
    this.fuelL -= burnt;
    this.fuelUsedL += burnt;
    this.runSeconds += dt;
    if (this.fuelL <= 0) {
      this.fuelL = 0;
      this.running = false;
      this.outOfFuel = true;
    }
  }

  /** Power the generator can put into the battery charger on top of the load. */
  chargeHeadroomW(loadW: number): number {
    return Math.max(0, Math.min(this.cfg.chargerKw * 1000, this.ratedW - loadW));
  }

  startRefuel(litres: number): void {
    this.pouringL += Math.max(0, litres);
  }

  /** Pours for dt seconds at pourLpm; stops at a full tank (the rest of the can stays in the can). */
  pour(dt: number, pourLpm: number): void {
    if (this.pouringL <= 0) return;
    const amount = Math.min(this.pouringL, (pourLpm * dt) / 60, this.cfg.tankL - this.fuelL);
    this.fuelL += amount;
    this.refuelledL += amount;
    this.pouringL -= amount;
    if (this.fuelL >= this.cfg.tankL - 1e-6) {
      this.fuelL = this.cfg.tankL;
      this.pouringL = 0;
    }
    if (this.pouringL < 1e-9) this.pouringL = 0;
    if (this.fuelL > 0) this.outOfFuel = false;
  }
}
