// LoRa time on air (Semtech AN1200.13) and the EU868 limits that follow from it.
// Airtime drives everything in the relay: duty-cycle waits, what fits in an hour, and
// which data rate can still carry a message, so it is computed exactly, not estimated.

export interface RadioSettings {
  /** Spreading factor 7–12. */
  sf: number;
  /** Bandwidth in Hz; EU868 LoRaWAN uses 125 kHz except DR6 (250 kHz). */
  bandwidthHz?: number;
  /** Coding rate 4/(4+cr): 1 = 4/5 (LoRaWAN), 4 = 4/8. */
  codingRate?: 1 | 2 | 3 | 4;
  preambleSymbols?: number;
  explicitHeader?: boolean;
  crc?: boolean;
  /** Low-data-rate optimisation; by default on when a symbol lasts ≥ 16 ms (SF11/SF12 at 125 kHz). */
  lowDataRateOptimize?: boolean;
}

export class AirtimeRangeError extends RangeError {
  override name = 'AirtimeRangeError';
}

/** LoRaWAN MAC overhead on top of the application payload: MHDR 1 + FHDR 7 + FPort 1 + MIC 4. */
export const LORAWAN_OVERHEAD_BYTES = 13;

/** Time on air in ms of a PHY payload of `phyBytes` bytes. */
export function timeOnAirMs(phyBytes: number, radio: RadioSettings): number {
  const { sf, bandwidthHz = 125_000, codingRate = 1, preambleSymbols = 8, explicitHeader = true, crc = true } = radio;
  if (!Number.isInteger(sf) || sf < 6 || sf > 12) throw new AirtimeRangeError(`spreading factor must be 6–12, got ${sf}`);
  if (!Number.isInteger(phyBytes) || phyBytes < 0 || phyBytes > 255) {
    throw new AirtimeRangeError(`PHY payload must be 0–255 bytes, got ${phyBytes}`);
  }
  if (!(bandwidthHz > 0)) throw new AirtimeRangeError(`bandwidth must be positive, got ${bandwidthHz}`);
  const tSymMs = (2 ** sf / bandwidthHz) * 1000;
  const de = (radio.lowDataRateOptimize ?? tSymMs >= 16) ? 1 : 0;
  const ih = explicitHeader ? 0 : 1;
  const numerator = 8 * phyBytes - 4 * sf + 28 + 16 * (crc ? 1 : 0) - 20 * ih;
  const payloadSymbols = 8 + Math.max(Math.ceil(numerator / (4 * (sf - 2 * de))) * (codingRate + 4), 0);
  const preambleMs = (preambleSymbols + 4.25) * tSymMs;
  // Rounded to the microsecond: the formula is exact in µs at these bandwidths, floats are not.
  return Math.round((preambleMs + payloadSymbols * tSymMs) * 1000) / 1000;
}

/** Time on air in ms of a LoRaWAN uplink carrying `appBytes` of application payload (EU868, 125 kHz, CR 4/5). */
export function lorawanAirtimeMs(appBytes: number, sf: number): number {
  return timeOnAirMs(appBytes + LORAWAN_OVERHEAD_BYTES, { sf });
}

/** Largest application payload at a spreading factor (EU868 DR0–DR5 at 125 kHz, no repeater). */
export function maxAppPayload(sf: number): number {
  if (sf >= 10) return 51;
  if (sf === 9) return 115;
  return 222;
}

/** Silence required after a transmission of `airtimeMs` at duty cycle `duty` (0.01 = 1 %). */
export function dutyCycleOffMs(airtimeMs: number, duty: number): number {
  return airtimeMs / duty - airtimeMs;
}
