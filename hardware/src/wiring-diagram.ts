// Wiring diagram of one node as SVG, generated from its pin map (hardware/pins/<node>.json) so the picture
// cannot disagree with the firmware: the ESP32 board on the left, one box per signal on the right, one
// line per wire coloured by what the pin does. Deterministic output: the same map gives the same bytes.
import type { PinAssignment, PinMap, PinMode } from './pins.js';

const MODE_COLOUR: Record<PinMode, string> = {
  input: '#1f6feb',
  output: '#d1242f',
  adc: '#8250df',
  'i2c-sda': '#1a7f37',
  'i2c-scl': '#9a6700',
  'uart-tx': '#bf3989',
  'uart-rx': '#0a7ea4',
};

const MODE_LABEL: Record<PinMode, string> = {
  input: 'digital in',
  output: 'digital out',
  adc: 'analogue in',
  'i2c-sda': 'I²C data',
  'i2c-scl': 'I²C clock',
  'uart-tx': 'UART transmit',
  'uart-rx': 'UART receive',
};

const ROW = 64;
const TOP = 96;
const BOARD_X = 40;
const BOARD_W = 220;
const BOX_X = 420;
const BOX_W = 520;
const WIDTH = BOX_X + BOX_W + 40;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Splits a description into lines of at most `max` characters at spaces. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > 2) lines[1] = `${lines[1]} …`;
  return lines.slice(0, 2);
}

/** SVG wiring diagram of a node's pin map. */
export function wiringDiagramSvg(map: PinMap): string {
  const pins = Object.entries(map.pins).sort((a, b) => a[1].gpio - b[1].gpio);
  // Fixed rows after the signals: the USB cable carries power and the serial link for every node.
  const rows = pins.length + 1;
  const height = TOP + rows * ROW + 126;
  const boardH = rows * ROW;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="14">`,
    `<title>Wiring of node ${esc(map.node)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${BOARD_X}" y="36" font-size="22" font-weight="bold">Node “${esc(map.node)}” — wiring</text>`,
    `<text x="${BOARD_X}" y="62" fill="#57606a">Generated from hardware/pins/${esc(map.node)}.json · Wi-Fi ${map.wifi ? 'on' : 'off'} · do not edit by hand</text>`,
    `<rect x="${BOARD_X}" y="${TOP - 16}" width="${BOARD_W}" height="${boardH + 24}" rx="10" fill="#24292f"/>`,
    `<text x="${BOARD_X + 16}" y="${TOP + 8}" fill="#ffffff" font-weight="bold">ESP32 DevKitC</text>`,
  );
  const pinRow = (i: number, label: string, colour: string, title: string, lines: string[], sub: string) => {
    const y = TOP + 36 + i * ROW;
    const x1 = BOARD_X + BOARD_W;
    out.push(
      `<g>`,
      `<rect x="${x1 - 92}" y="${y - 12}" width="84" height="24" rx="4" fill="#ffffff"/>`,
      `<text x="${x1 - 50}" y="${y + 5}" text-anchor="middle" font-weight="bold">${esc(label)}</text>`,
      `<circle cx="${x1}" cy="${y}" r="5" fill="${colour}"/>`,
      `<path d="M${x1} ${y} H${BOX_X}" stroke="${colour}" stroke-width="3" fill="none"/>`,
      `<rect x="${BOX_X}" y="${y - 24}" width="${BOX_W}" height="${ROW - 8}" rx="6" fill="#f6f8fa" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${BOX_X + 12}" y="${y - 6}" font-weight="bold">${esc(title)} <tspan font-weight="normal" fill="#57606a">· ${esc(sub)}</tspan></text>`,
      ...lines.map((l, k) => `<text x="${BOX_X + 12}" y="${y + 12 + k * 16}" font-size="13">${esc(l)}</text>`),
      `</g>`,
    );
  };
  pins.forEach(([name, p]: [string, PinAssignment], i) => {
    const sub = MODE_LABEL[p.mode] + (p.pull ? `, internal pull-${p.pull}` : '');
    pinRow(i, `GPIO${p.gpio}`, MODE_COLOUR[p.mode], name, wrap(p.wire, 70), sub);
  });
  pinRow(pins.length, 'USB', '#57606a', 'usb', ['to the gateway\'s USB hub: 5 V supply and the serial link (115200 8N1)'], 'power + data');
  // Legend: only the modes this node uses.
  const used = [...new Set(pins.map(([, p]) => p.mode))];
  const ly = TOP + rows * ROW + 56;
  out.push(`<text x="${BOARD_X}" y="${ly}" font-weight="bold">Legend</text>`);
  used.forEach((m, i) => {
    const x = BOARD_X + (i % 4) * 230;
    const y = ly + 22 + Math.floor(i / 4) * 22;
    out.push(`<path d="M${x} ${y - 5} h28" stroke="${MODE_COLOUR[m]}" stroke-width="3"/>`, `<text x="${x + 36}" y="${y}">${esc(MODE_LABEL[m])}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
