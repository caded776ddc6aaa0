// EU868 sub-band duty cycle as a device must keep it (ETSI EN 300 220 as applied by LoRaWAN RP002,
// the same bands LoRaMac-node tracks): after a transmission of airtime T in a sub-band with duty
// cycle d, that whole sub-band stays silent until T/d after the transmission started.

export interface SubBand {
  name: string;
  minHz: number;
  maxHz: number;
  /** Allowed fraction of time on air, 0.01 = 1 %. */
  duty: number;
}

export const EU868_SUB_BANDS: readonly SubBand[] = [
  { name: '865.0–868.0 MHz', minHz: 865_000_000, maxHz: 868_000_000, duty: 0.01 },
  { name: '868.0–868.6 MHz', minHz: 868_000_000, maxHz: 868_600_000, duty: 0.01 },
  { name: '868.7–869.2 MHz', minHz: 868_700_000, maxHz: 869_200_000, duty: 0.001 },
  { name: '869.4–869.65 MHz', minHz: 869_400_000, maxHz: 869_650_000, duty: 0.1 },
  { name: '869.7–870.0 MHz', minHz: 869_700_000, maxHz: 870_000_000, duty: 0.01 },
];

/** The three channels every EU868 device has from the start (also the join channels). */
export const EU868_DEFAULT_CHANNELS_HZ: readonly number[] = [868_100_000, 868_300_000, 868_500_000];
/** The five extra channels The Things Network sends in the join-accept CFList. */
export const TTN_CFLIST_CHANNELS_HZ: readonly number[] = [867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000];

export class DutyCycleRangeError extends RangeError {
  override name = 'DutyCycleRangeError';
}

export function subBandOf(hz: number): SubBand {
  const band = EU868_SUB_BANDS.find((b) => hz >= b.minHz && hz <= b.maxHz);
  if (!band) throw new DutyCycleRangeError(`${hz} Hz is in no EU868 sub-band`);
  return band;
}

/** Per-device bookkeeping of when each sub-band may transmit again. */
export class DutyCycleTracker {
  private readonly freeAt = new Map<string, number>();

  constructor(private readonly enforce = true) {}

  /** Channels (Hz) whose sub-band is free at `now`. */
  freeChannels(channelsHz: readonly number[], now: number): number[] {
    if (!this.enforce) return [...channelsHz];
    return channelsHz.filter((hz) => (this.freeAt.get(subBandOf(hz).name) ?? -Infinity) <= now);
  }

  /** Earliest time any of the channels may transmit. */
  nextFreeAt(channelsHz: readonly number[]): number {
    return Math.min(...channelsHz.map((hz) => this.freeAt.get(subBandOf(hz).name) ?? -Infinity));
  }

  /** Books a transmission of `airtimeMs` starting at `start` on channel `hz`. */
  record(hz: number, start: number, airtimeMs: number): void {
    const band = subBandOf(hz);
    this.freeAt.set(band.name, start + airtimeMs / band.duty);
  }

  reset(): void {
    this.freeAt.clear();
  }
}
