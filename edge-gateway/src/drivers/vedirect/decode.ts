// Raw VE.Direct fields → typed values in plain units. A field that is absent, `---` or not a
// number of the expected form decodes to null, never 0: a monitor that lost its shunt must not
// read as an empty battery. Units per the VE.Direct Protocol document.
import type { AlarmReason } from './products.js';
import { PRODUCT_NAMES, alarmReasons } from './products.js';

export interface VeDirectHistory {
  /** H1 depth of the deepest discharge, Ah (negative). */
  deepestDischargeAh: number | null;
  /** H2 depth of the last discharge, Ah. */
  lastDischargeAh: number | null;
  /** H3 depth of the average discharge, Ah. */
  averageDischargeAh: number | null;
  /** H4 charge cycles. */
  chargeCycles: number | null;
  /** H5 full discharges. */
  fullDischarges: number | null;
  /** H6 cumulative Ah drawn. */
  cumulativeAh: number | null;
  /** H7 / H8 lowest and highest main voltage, V. */
  minVoltageV: number | null;
  maxVoltageV: number | null;
  /** H9 seconds since the last full charge. */
  secondsSinceFullCharge: number | null;
  /** H10 automatic synchronisations. */
  autoSyncs: number | null;
  /** H11 / H12 low and high main voltage alarms. */
  lowVoltageAlarms: number | null;
  highVoltageAlarms: number | null;
  /** H13 / H14 low and high auxiliary voltage alarms. */
  lowAuxVoltageAlarms: number | null;
  highAuxVoltageAlarms: number | null;
  /** H15 / H16 lowest and highest auxiliary voltage, V. */
  minAuxVoltageV: number | null;
  maxAuxVoltageV: number | null;
  /** H17 / H18 energy discharged and charged, kWh (sent in 0.01 kWh). */
  dischargedKWh: number | null;
  chargedKWh: number | null;
}

export interface VeDirectReading {
  /** PID, e.g. 0x203. */
  productId: number | null;
  /** Name of a known PID (see PRODUCT_NAMES), else null. */
  product: string | null;
  /** `BMV`: the model description the monitor reports, e.g. `700` or `SmartShunt 500A/50mV`. */
  model: string | null;
  /** `FW` as a version: `0308` → `3.08`; other forms are passed through. */
  firmware: string | null;
  /** `SER#`. */
  serial: string | null;
  /** `V` main (battery) voltage, V (sent in mV). */
  voltageV: number | null;
  /** `VS` auxiliary (starter) voltage, V. */
  auxVoltageV: number | null;
  /** `VM` mid-point voltage of the bank, V. */
  midVoltageV: number | null;
  /** `DM` mid-point deviation, % (sent in ‰). */
  midDeviationPct: number | null;
  /** `I` battery current, A (sent in mA); positive while charging. */
  currentA: number | null;
  /** `P` instantaneous power, W. */
  powerW: number | null;
  /** `CE` consumed charge, Ah (sent in mAh; negative). */
  consumedAh: number | null;
  /** `SOC` state of charge, % (sent in ‰). */
  socPct: number | null;
  /** `TTG` time to go, minutes; null when the monitor sends -1 (infinite: charging or idle) or `---`. */
  ttgMin: number | null;
  /** `T` battery temperature, °C. */
  temperatureC: number | null;
  /** `Alarm` ON/OFF. */
  alarm: boolean | null;
  /** `Relay` ON/OFF. */
  relay: boolean | null;
  /** `AR` bit field, raw. */
  alarmBits: number | null;
  /** `AR` decoded; [] when no reason is set. */
  alarmReasons: AlarmReason[] | null;
  /** `MON` DC monitor mode (0 = battery monitor; negative = sources, positive = loads). */
  monitorMode: number | null;
  history: VeDirectHistory;
  /** Fields this decoder does not interpret, raw. */
  other: Record<string, string>;
}

const KNOWN = new Set([
  'PID', 'BMV', 'FW', 'SER#', 'V', 'VS', 'VM', 'DM', 'I', 'P', 'CE', 'SOC', 'TTG', 'T', 'Alarm', 'Relay', 'AR', 'MON',
  ...Array.from({ length: 18 }, (_, i) => `H${i + 1}`),
]);

/**
 * A live battery reading is a block with the main voltage `V` (even if its value is `---`). The BMV's
 * history block has no `V`; nor has a block the parser accepted without seeing its start (then it
 * can only be a tail of the real block, and every tail holding `V` also holds I, SOC and TTG).
 */
export function isBatteryBlock(fields: ReadonlyMap<string, string>): boolean {
  return fields.has('V');
}

export function decodeFields(fields: ReadonlyMap<string, string>): VeDirectReading {
  const int = (label: string): number | null => parseInteger(fields.get(label));
  const scaled = (label: string, divisor: number): number | null => {
    const n = int(label);
    return n === null ? null : n / divisor;
  };
  const text = (label: string): string | null => {
    const s = fields.get(label)?.trim();
    return s === undefined || s === '' || s === '---' ? null : s;
  };
  const pid = parsePid(fields.get('PID'));
  const soc = int('SOC');
  const ttg = int('TTG');
  const ar = int('AR');
  const other: Record<string, string> = {};
  for (const [label, value] of fields) if (!KNOWN.has(label)) other[label] = value;
  return {
    productId: pid,
    product: pid === null ? null : (PRODUCT_NAMES.get(pid) ?? null),
    model: text('BMV'),
    firmware: formatFirmware(text('FW')),
    serial: text('SER#'),
    voltageV: scaled('V', 1000),
    auxVoltageV: scaled('VS', 1000),
    midVoltageV: scaled('VM', 1000),
    midDeviationPct: scaled('DM', 10),
    currentA: scaled('I', 1000),
    powerW: int('P'),
    consumedAh: scaled('CE', 1000),
    socPct: soc === null || soc < 0 || soc > 1000 ? null : soc / 10,
    ttgMin: ttg === null || ttg < 0 ? null : ttg,
    temperatureC: int('T'),
    alarm: onOff(fields.get('Alarm')),
    relay: onOff(fields.get('Relay')),
    alarmBits: ar !== null && ar >= 0 ? ar : null,
    alarmReasons: ar !== null && ar >= 0 ? alarmReasons(ar) : null,
    monitorMode: int('MON'),
    history: {
      deepestDischargeAh: scaled('H1', 1000),
      lastDischargeAh: scaled('H2', 1000),
      averageDischargeAh: scaled('H3', 1000),
      chargeCycles: int('H4'),
      fullDischarges: int('H5'),
      cumulativeAh: scaled('H6', 1000),
      minVoltageV: scaled('H7', 1000),
      maxVoltageV: scaled('H8', 1000),
      secondsSinceFullCharge: int('H9'),
      autoSyncs: int('H10'),
      lowVoltageAlarms: int('H11'),
      highVoltageAlarms: int('H12'),
      lowAuxVoltageAlarms: int('H13'),
      highAuxVoltageAlarms: int('H14'),
      minAuxVoltageV: scaled('H15', 1000),
      maxAuxVoltageV: scaled('H16', 1000),
      dischargedKWh: scaled('H17', 100),
      chargedKWh: scaled('H18', 100),
    },
    other,
  };
}

/** Decimal integer, optionally negative; anything else (`---`, empty, `12.5`, junk) is null. */
export function parseInteger(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const s = raw.trim();
  // 15 digits stay exact in a double.
  return /^-?\d{1,15}$/.test(s) ? Number(s) : null;
}

/** `0x203`, `0xA389` → number. */
export function parsePid(raw: string | undefined): number | null {
  const m = /^0x([0-9a-f]{1,8})$/i.exec(raw?.trim() ?? '');
  return m ? parseInt(m[1]!, 16) : null;
}

function onOff(raw: string | undefined): boolean | null {
  const s = raw?.trim().toUpperCase();
  return s === 'ON' ? true : s === 'OFF' ? false : null;
}

/** `0308` → `3.08`, `0412` → `4.12`; anything else unchanged. */
export function formatFirmware(raw: string | null): string | null {
  if (raw === null) return null;
  const m = /^(\d{1,2})(\d{2})$/.exec(raw);
  return m ? `${Number(m[1])}.${m[2]}` : raw;
}
