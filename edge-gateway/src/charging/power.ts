// Adapter from what the gateway measures (generator running, fuel, battery SoC) to the one power model
// (hardware/src/power-model.ts): watts the phone ports may take now and hours of critical load left.
// What the model lacks and this file adds: the configured reserveW as a floor on the critical load, and
// an on-battery SoC floor (the model lets phones charge on battery until it is empty).
import type { PowerSystem } from '../../../hardware/src/power-model.js';
import { chargingBudget, criticalLoad, hoursToEmpty } from '../../../hardware/src/power-model.js';
import type { NodeRegistry } from '../core/registry.js';
import type { ChargingConfig } from './config.js';

/** The point's power state as the gateway sees it; null = unknown (stale node, broken sensor). */
export interface PowerInputs {
  generatorRunning: boolean | null;
  /** Fuel in the tank (L). */
  fuelL: number | null;
  /** Battery state of charge (%). */
  soc: number | null;
}

export interface PowerView {
  /** USB power the ports may take now (W), before the shedding stage is applied. */
  availableW: number;
  /** Hours the stored energy (usable fuel + battery) keeps the critical loads on; null when unknown. */
  hoursLeft: number | null;
  /** Critical load the budget protects (W): the model's loads, at least reserveW. */
  criticalW: number;
  limitedBy: string;
}

type PowerConfig = Pick<ChargingConfig, 'ports' | 'portW' | 'reserveW'>;

/** The model's system with the measured state and the configured reserve folded in. */
export function systemNow(system: PowerSystem, inputs: PowerInputs, cfg: PowerConfig, onBatteryAllowed: boolean): PowerSystem {
  const modelCritical = criticalLoad(system.loads).totalW;
  const topUp = Math.max(0, cfg.reserveW - modelCritical);
  const loads = topUp > 0 ? [...system.loads, { id: 'charging-reserve', category: 'other' as const, watts: topUp, dutyCycle: 1 }] : system.loads;
  return {
    ...system,
    loads,
    // Unknown fuel counts as none, unknown SoC as empty: never spend what we cannot see.
    tank: { ...system.tank, fuelL: inputs.fuelL ?? 0 },
    battery: { ...system.battery, soc: Math.min(1, Math.max(0, (inputs.soc ?? 0) / 100)) },
    charging: { ...system.charging, ports: cfg.ports, portW: cfg.portW, allowOnBattery: onBatteryAllowed },
  };
}

export function powerView(system: PowerSystem, inputs: PowerInputs, cfg: PowerConfig, onBatteryAllowed: boolean): PowerView {
  const s = systemNow(system, inputs, cfg, onBatteryAllowed);
  const criticalW = criticalLoad(s.loads).totalW;
  const known = inputs.soc !== null || inputs.fuelL !== null;
  const hoursLeft = known ? hoursToEmpty(s) : null;
  if (inputs.generatorRunning === null && inputs.soc === null) return { availableW: 0, hoursLeft, criticalW, limitedBy: 'unknown' };
  const b = chargingBudget(s, inputs.generatorRunning === true);
  return { availableW: b.portsW, hoursLeft, criticalW, limitedBy: b.limitedBy };
}

export interface RegistryPowerNodes {
  battery?: string;
  fuel?: string;
  /**
   * The protocol has no generator telemetry yet: a battery charging above this current (A) means the
   * generator runs (the mains charger is the only source). Null SoC/current → unknown.
   */
  generatorChargeA?: number;
}

/** Power inputs read from the registry (stale nodes read as unknown). */
export function registryPowerInputs(registry: NodeRegistry, nodes: RegistryPowerNodes): () => PowerInputs {
  const threshold = nodes.generatorChargeA ?? 1;
  return () => {
    const a = nodes.battery ? registry.value(nodes.battery, 'battery', 'a') : null;
    return {
      generatorRunning: a === null ? null : a > threshold,
      fuelL: nodes.fuel ? registry.value(nodes.fuel, 'fuel', 'litres') : null,
      soc: nodes.battery ? registry.value(nodes.battery, 'battery', 'soc') : null,
    };
  };
}
