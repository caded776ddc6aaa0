// EU868 LoRaWAN data rates the relay uses (RP002-1.0.x, 125 kHz LoRa only: DR0–DR5).
import { maxAppPayload } from '../../lora/airtime.js';

export const MIN_DR = 0;
export const MAX_DR = 5;

/** Spreading factor of an EU868 data rate DR0–DR5 (DR0 = SF12 … DR5 = SF7). */
export function spreadingFactorOf(dr: number): number {
  if (!Number.isInteger(dr) || dr < MIN_DR || dr > MAX_DR) throw new RangeError(`EU868 data rate must be DR0–DR5, got ${dr}`);
  return 12 - dr;
}

/** Largest application payload at an EU868 data rate. */
export function maxPayloadAt(dr: number): number {
  return maxAppPayload(spreadingFactorOf(dr));
}
