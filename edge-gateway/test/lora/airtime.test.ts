import { describe, it, expect } from 'vitest';
import {
  AirtimeRangeError,
  dutyCycleOffMs,
  lorawanAirtimeMs,
  maxAppPayload,
  timeOnAirMs,
} from '../../src/lora/airtime.js';

// Reference values from the TTN community airtime calculator's tests
// (github.com/avbentem/airtime-calculator, src/lora/Airtime.test.ts): PHY size, SF, bandwidth, CR → ms.
const REFERENCE: [number, number, number, 1 | 4, number][] = [
  [14, 7, 125, 1, 46.336],
  [15, 7, 125, 1, 46.336],
  [16, 7, 125, 1, 51.456],
  [25, 7, 125, 1, 61.696],
  [14, 7, 250, 1, 23.168],
  [16, 7, 250, 1, 25.728],
  [25, 7, 250, 1, 30.848],
  [14, 7, 125, 4, 61.696],
  [16, 7, 125, 4, 69.888],
  [25, 7, 125, 4, 86.272],
  [14, 7, 250, 4, 30.848],
  [25, 7, 250, 4, 43.136],
  [14, 8, 125, 1, 82.432],
  [15, 8, 125, 1, 92.672],
  [25, 8, 125, 1, 113.152],
  [14, 11, 125, 1, 659.456],
  [16, 11, 125, 1, 659.456],
  [25, 11, 125, 1, 823.296],
];

describe('timeOnAirMs', () => {
  it.each(REFERENCE)('%i bytes SF%i BW%i CR4/%i+4 = %f ms', (bytes, sf, bw, cr, ms) => {
    expect(timeOnAirMs(bytes, { sf, bandwidthHz: bw * 1000, codingRate: cr })).toBeCloseTo(ms, 3);
  });

  it('switches low-data-rate optimisation on for SF11/SF12 only at 125 kHz', () => {
    expect(timeOnAirMs(25, { sf: 11 })).toBe(timeOnAirMs(25, { sf: 11, lowDataRateOptimize: true }));
    expect(timeOnAirMs(25, { sf: 10 })).toBe(timeOnAirMs(25, { sf: 10, lowDataRateOptimize: false }));
  });

  it('rejects impossible settings with a typed error', () => {
    expect(() => timeOnAirMs(14, { sf: 13 })).toThrow(AirtimeRangeError);
    expect(() => timeOnAirMs(-1, { sf: 7 })).toThrow(AirtimeRangeError);
    expect(() => timeOnAirMs(256, { sf: 7 })).toThrow(AirtimeRangeError);
    expect(() => timeOnAirMs(1.5, { sf: 7 })).toThrow(AirtimeRangeError);
  });
});

describe('LoRaWAN helpers', () => {
  it('adds the 13-byte LoRaWAN overhead', () => {
    expect(lorawanAirtimeMs(1, 7)).toBe(46.336);
    // 12-byte status at SF12: 25-byte PHY → 33 symbols of 32.768 ms + 12.25 preamble symbols.
    expect(lorawanAirtimeMs(12, 12)).toBe(1482.752);
  });

  it('knows the EU868 payload limits per data rate', () => {
    expect([12, 11, 10, 9, 8, 7].map(maxAppPayload)).toEqual([51, 51, 51, 115, 222, 222]);
  });

  it('computes the duty-cycle silence (DESIGN: 20 bytes at SF12 blocks ~3 minutes at 1 %)', () => {
    const off = dutyCycleOffMs(lorawanAirtimeMs(20, 12), 0.01);
    expect(off / 60_000).toBeGreaterThan(2.8);
    expect(off / 60_000).toBeLessThan(3.2);
  });
});
