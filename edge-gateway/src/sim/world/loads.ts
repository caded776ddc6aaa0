// Critical loads ("the light must burn"): always served first; charging comes on top and is what the
// gateway's charging service must keep within budget.
import type { LoadScenario } from './scenario.js';

export function isNight(localHour: number): boolean {
  return localHour < 7 || localHour >= 19;
}

export function criticalLoadW(cfg: LoadScenario, localHour: number): number {
  return cfg.gatewayW + cfg.networkW + cfg.radioW + (isNight(localHour) ? cfg.lightsNightW : cfg.lightsDayW);
}
