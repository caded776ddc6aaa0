// The hardware a node sees: what its pins and buses would return, including the ways real sensors
// mislead (ultrasonic blind zone, slosh, vibration, unplugged cables). Simulated nodes — and later the
// real firmware under the emulated Espruino API — read the world only through these interfaces.
import type { DoorDirection } from './visitors.js';

export interface FuelSensorHw {
  /** One ultrasonic ping: distance to the fuel surface in mm, or null when no echo (unplugged/broken). */
  readDistanceMm(): number | null;
}

export interface BatteryMonitorReading {
  v: number;
  a: number;
  soc: number;
}

export interface BatteryMonitorHw {
  /** Shunt monitor reading, or null when the monitor does not answer. */
  read(): BatteryMonitorReading | null;
}

export interface DoorBeamsHw {
  /** Called for each crossing the two beams recognise, with the number of people counted. */
  onCrossing(fn: (dir: DoorDirection, counted: number) => void): () => void;
}

export interface ChargerBoardHw {
  readonly portCount: number;
  setRelay(port: number, on: boolean): void;
  relay(port: number): boolean;
  /** Port current from the INA3221-style sensor (mA), or null when the sensor does not answer. */
  readCurrentMa(port: number): number | null;
}

export type SensorName = 'fuel' | 'battery' | 'doors' | 'ports';

export interface WorldHardware {
  fuel: FuelSensorHw;
  battery: BatteryMonitorHw;
  doors: DoorBeamsHw;
  charger: ChargerBoardHw;
}
