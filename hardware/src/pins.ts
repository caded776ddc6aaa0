// Pin maps: the single machine-readable source of which ESP32 GPIO does what on each node.
// The firmware build reads hardware/pins/<node>.json through loadPinMap(); any conflict fails the build.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PIN_MODES = ['input', 'output', 'adc', 'i2c-sda', 'i2c-scl', 'uart-tx', 'uart-rx'] as const;
export type PinMode = (typeof PIN_MODES)[number];

export interface PinAssignment {
  gpio: number;
  mode: PinMode;
  /** Internal pull resistor for inputs. */
  pull?: 'up' | 'down';
  /** What the pin connects to, for the wiring table (part, pin, wire colour …). */
  wire: string;
}

export interface PinMap {
  node: string;
  board: 'ESP32';
  /** Wi-Fi on makes ADC2 unusable. */
  wifi: boolean;
  pins: Record<string, PinAssignment>;
}

// ESP32 (WROOM/WROVER) facts from the datasheet.
/** GPIOs that do not exist on the chip. */
const NON_EXISTENT = new Set([20, 24, 28, 29, 30, 31]);
/** Wired to the SPI flash on modules: touching them crashes the chip. */
const FLASH_PINS = new Set([6, 7, 8, 9, 10, 11]);
/** GPIO34–39 have no output driver and no internal pull resistors. */
const INPUT_ONLY = new Set([34, 35, 36, 37, 38, 39]);
/** ADC1 keeps working with Wi-Fi on. */
const ADC1 = new Set([32, 33, 34, 35, 36, 37, 38, 39]);
/** ADC2 is taken by the Wi-Fi driver while Wi-Fi runs. */
const ADC2 = new Set([0, 2, 4, 12, 13, 14, 15, 25, 26, 27]);
/** UART0 carries the USB serial link (protocol + console). */
const USB_UART = new Set([1, 3]);

const OUTPUT_MODES: ReadonlySet<PinMode> = new Set<PinMode>(['output', 'i2c-sda', 'i2c-scl', 'uart-tx']);

export class PinMapError extends Error {
  override name = 'PinMapError';
  constructor(
    readonly node: string,
    readonly problems: string[],
  ) {
    super(`pin map ${node}: ${problems.join('; ')}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks shape and electrical rules; returns the typed map or throws PinMapError listing every problem. */
export function validatePinMap(value: unknown, label = '(pin map)'): PinMap {
  const problems: string[] = [];
  if (!isRecord(value)) throw new PinMapError(label, ['not an object']);
  const node = typeof value.node === 'string' && /^[a-z0-9][a-z0-9-]{0,31}$/.test(value.node) ? value.node : null;
  if (node === null) problems.push('node: expected a node id');
  if (value.board !== 'ESP32') problems.push('board: expected "ESP32"');
  if (typeof value.wifi !== 'boolean') problems.push('wifi: expected a boolean');
  if (!isRecord(value.pins)) throw new PinMapError(node ?? label, [...problems, 'pins: expected an object']);
  const owner = new Map<number, string>();
  const pins: Record<string, PinAssignment> = {};
  for (const [name, raw] of Object.entries(value.pins)) {
    const at = `pins.${name}`;
    if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) problems.push(`${at}: name must be an identifier`);
    if (!isRecord(raw)) {
      problems.push(`${at}: expected an object`);
      continue;
    }
    const { gpio, mode, pull, wire } = raw;
    if (typeof gpio !== 'number' || !Number.isInteger(gpio) || gpio < 0 || gpio > 39 || NON_EXISTENT.has(gpio)) {
      problems.push(`${at}.gpio: ${String(gpio)} is not an ESP32 GPIO`);
      continue;
    }
    if (typeof mode !== 'string' || !(PIN_MODES as readonly string[]).includes(mode)) {
      problems.push(`${at}.mode: expected one of ${PIN_MODES.join(', ')}`);
      continue;
    }
    if (pull !== undefined && pull !== 'up' && pull !== 'down') problems.push(`${at}.pull: expected "up" or "down"`);
    if (typeof wire !== 'string' || wire.length === 0) problems.push(`${at}.wire: describe what the pin connects to`);
    const m = mode as PinMode;
    const prev = owner.get(gpio);
    if (prev !== undefined) problems.push(`${at}: GPIO${gpio} already used by ${prev}`);
    owner.set(gpio, name);
    if (FLASH_PINS.has(gpio)) problems.push(`${at}: GPIO${gpio} is wired to the SPI flash`);
    if (USB_UART.has(gpio)) problems.push(`${at}: GPIO${gpio} carries the USB serial link`);
    if (INPUT_ONLY.has(gpio) && OUTPUT_MODES.has(m)) problems.push(`${at}: GPIO${gpio} is input-only but used as ${m}`);
    if (INPUT_ONLY.has(gpio) && pull !== undefined) problems.push(`${at}: GPIO${gpio} has no internal pull resistor`);
    if (m === 'adc' && !ADC1.has(gpio) && !ADC2.has(gpio)) problems.push(`${at}: GPIO${gpio} has no ADC`);
    if (m === 'adc' && ADC2.has(gpio) && value.wifi === true) problems.push(`${at}: GPIO${gpio} is ADC2, unusable while Wi-Fi is on`);
    pins[name] = { gpio, mode: m, wire: typeof wire === 'string' ? wire : '', ...(pull === 'up' || pull === 'down' ? { pull } : {}) };
  }
  if (problems.length > 0) throw new PinMapError(node ?? label, problems);
  return { node: node as string, board: 'ESP32', wifi: value.wifi as boolean, pins };
}

export const PINS_DIR = fileURLToPath(new URL('../pins/', import.meta.url));

export function loadPinMap(node: string, dir: string = PINS_DIR): PinMap {
  const file = join(dir, `${node}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PinMapError(node, [`cannot read ${file}: ${(err as Error).message}`]);
  }
  const map = validatePinMap(raw, node);
  if (map.node !== node) throw new PinMapError(node, [`file ${file} declares node "${map.node}"`]);
  return map;
}

export function listPinMaps(dir: string = PINS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Markdown wiring table for a node, generated from the pin map so it cannot drift. */
export function wiringTable(map: PinMap): string {
  const rows = Object.entries(map.pins)
    .sort((a, b) => a[1].gpio - b[1].gpio)
    .map(([name, p]) => `| GPIO${p.gpio} | ${name} | ${p.mode}${p.pull ? ` (pull-${p.pull})` : ''} | ${p.wire} |`);
  return [`### ${map.node}`, '', '| ESP32 | signal | mode | connects to |', '|---|---|---|---|', ...rows, ''].join('\n');
}

/** hardware/pins/WIRING.md: every node's table, generated (a test keeps the file in step with the maps). */
export function wiringDocument(dir: string = PINS_DIR): string {
  const head = [
    '# Node wiring',
    '',
    'Generated from the pin maps in this folder (`npx noodsteun firmware wiring --all > hardware/pins/WIRING.md`);',
    'the firmware build reads the same maps, so this table and the firmware cannot disagree.',
    '',
  ];
  return [...head, ...listPinMaps(dir).map((n) => wiringTable(loadPinMap(n, dir)))].join('\n');
}
