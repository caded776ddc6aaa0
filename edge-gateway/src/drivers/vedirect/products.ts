// Facts from Victron's "VE.Direct Protocol" document: product ids of the battery monitors a
// technician may fit, and the bits of the `AR` (alarm reason) field.

/** PID → product name, for the battery monitors this gateway expects. Others decode to null. */
export const PRODUCT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x203, 'BMV-700'],
  [0x204, 'BMV-702'],
  [0x205, 'BMV-700H'],
  [0xa381, 'BMV-712 Smart'],
  [0xa382, 'BMV-710H Smart'],
  [0xa383, 'BMV-712 Smart Rev2'],
  [0xa389, 'SmartShunt 500A/50mV'],
  [0xa38a, 'SmartShunt 1000A/50mV'],
  [0xa38b, 'SmartShunt 2000A/50mV'],
]);

export const ALARM_REASONS = [
  'low-voltage',
  'high-voltage',
  'low-soc',
  'low-starter-voltage',
  'high-starter-voltage',
  'low-temperature',
  'high-temperature',
  'mid-voltage',
  'overload',
  'dc-ripple',
  'low-v-ac-out',
  'high-v-ac-out',
  'short-circuit',
  'bms-lockout',
] as const;
export type AlarmReason = (typeof ALARM_REASONS)[number];

/** Bit i of `AR` is ALARM_REASONS[i]; higher bits are unassigned and ignored. */
export function alarmReasons(bits: number): AlarmReason[] {
  return ALARM_REASONS.filter((_, i) => (bits & (1 << i)) !== 0);
}
