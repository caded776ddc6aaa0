// The commissioning verdict on a LoRa link check: the network answered, at least one gateway heard the
// uplink, and the uplink arrived with enough margin above the demodulation floor to survive fading,
// rain and a parked van without the point dropping off the network.
import type { LinkCheckResult } from '../drivers/lora-modem/index.js';

/** ChirpStack's default ADR installation margin (chirpstack.toml `installation_margin=10`, dB). */
export const LINK_MIN_MARGIN_DB = 10;
/** LinkCheckAns GwCnt: gateways that received the uplink (LoRaWAN TS001 §5.1). */
export const LINK_MIN_GATEWAYS = 1;

export type LinkVerdictReason = 'ok' | 'no-answer' | 'no-gateway' | 'low-margin';

export interface LinkVerdict {
  pass: boolean;
  reason: LinkVerdictReason;
  minMarginDb: number;
  minGateways: number;
}

export function linkVerdict(r: LinkCheckResult): LinkVerdict {
  const base = { minMarginDb: LINK_MIN_MARGIN_DB, minGateways: LINK_MIN_GATEWAYS };
  if (!r.ok) return { pass: false, reason: 'no-answer', ...base };
  if (r.gateways < LINK_MIN_GATEWAYS) return { pass: false, reason: 'no-gateway', ...base };
  if (r.marginDb === null || r.marginDb < LINK_MIN_MARGIN_DB) return { pass: false, reason: 'low-margin', ...base };
  return { pass: true, reason: 'ok', ...base };
}
