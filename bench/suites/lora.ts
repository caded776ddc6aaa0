// Suite `lora`: what the LoRa codec saves, side by side with the usual alternatives on the same
// data. See bench/README.md `## lora` for the simulated data and how each figure is computed.
import { deflateRawSync } from 'node:zlib';
import { dutyCycleOffMs, lorawanAirtimeMs, maxAppPayload } from '../../edge-gateway/src/lora/airtime.js';
import { encodeMessage, type StatusMessage } from '../../edge-gateway/src/lora/codec/index.js';
import { ALARMS } from '../../edge-gateway/src/lora/codec/status.js';
import { compressText } from '../../edge-gateway/src/lora/text/compressor.js';
import { HELD_OUT, TRAINING } from '../../edge-gateway/src/lora/text/corpus.js';
import { runFailoverTrial } from '../../edge-gateway/src/relay/failover-sim.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

type Figure = { value: number; unit: string };

const DUTY_CYCLE = 0.01; // EU868 868.0–868.6 MHz, where the three default LoRaWAN channels are
/** Airtime kept free every hour for emergency traffic: six full 51-byte frames at SF12. */
const EMERGENCY_RESERVE_FRAMES = 6;
/** Failover trials for the relay figures (each ~8 s of wall time). */
const RELAY_TRIALS = 5;

/** A simulated day of a point, one status every 5 minutes: generator cycles, fuel burns, visitors follow the day. */
export function simulatedDay(): StatusMessage[] {
  const out: StatusMessage[] = [];
  let fuel = 92;
  let battery = 80;
  for (let i = 0; i < 288; i++) {
    const hour = i / 12;
    const running = Math.floor(hour / 3) % 2 === 0; // 3 h on, 3 h off
    fuel = running ? Math.max(fuel - 0.35, 0) : fuel;
    if (fuel < 15) fuel = 95; // refuelled
    battery = Math.min(100, Math.max(20, battery + (running ? 2.5 : -2)));
    const daytime = Math.max(0, Math.sin(((hour - 7) / 15) * Math.PI));
    const visitors = Math.round(180 * daytime + (i % 7));
    const sessions = Math.min(40, Math.round(visitors / 5));
    out.push({
      kind: 'status',
      fuelPct: Math.round(fuel),
      hoursToEmpty: Math.round((fuel / 0.35 / 12) * 2 * 10) / 10,
      batteryPct: Math.round(battery),
      batteryV: Math.round((11.8 + battery / 100) * 20) / 20,
      generator: running ? 'running' : 'off',
      visitorsPresent: visitors,
      visitorsLastHour: Math.round(visitors * 1.6),
      chargingW: sessions * 9,
      chargingSessions: sessions,
      alarms: fuel < 20 ? ['fuel_low'] : [],
      link: hour > 20 ? 'ip_down' : 'ip_ok',
    });
  }
  return out;
}

/** CayenneLPP, generous version: the smallest type that holds each value (channel + type + data). */
export function cayenneLpp(s: StatusMessage): Uint8Array {
  const bytes: number[] = [];
  let channel = 1;
  const add = (type: number, size: number, raw: number): void => {
    bytes.push(channel++, type);
    for (let i = size - 1; i >= 0; i--) bytes.push(Math.floor(raw / 256 ** i) % 256);
  };
  const percentage = 120; // 1 byte, %
  const analogInput = 2; // 2 bytes, 0.01 signed (≤ 327.67)
  const voltage = 116; // 2 bytes, 0.01 V
  const digitalInput = 0; // 1 byte
  const luminosity = 101; // 2 bytes unsigned: the usual stand-in for a plain 16-bit count
  const power = 128; // 2 bytes, W
  add(percentage, 1, s.fuelPct ?? 0);
  add(analogInput, 2, Math.round(Math.min(s.hoursToEmpty ?? 0, 327.67) * 100));
  add(percentage, 1, s.batteryPct ?? 0);
  add(voltage, 2, Math.round((s.batteryV ?? 0) * 100));
  add(digitalInput, 1, s.generator === 'running' ? 1 : 0);
  add(luminosity, 2, s.visitorsPresent ?? 0);
  add(luminosity, 2, s.visitorsLastHour ?? 0);
  add(power, 2, s.chargingW ?? 0);
  add(digitalInput, 1, s.chargingSessions ?? 0);
  add(digitalInput, 1, s.alarms.reduce((m, a) => m | (1 << ALARMS.indexOf(a)), 0));
  add(digitalInput, 1, s.link === 'ip_ok' ? 1 : 0);
  return Uint8Array.from(bytes);
}

function statusJson(s: StatusMessage): Uint8Array {
  const { kind: _kind, ...values } = s;
  return new TextEncoder().encode(JSON.stringify(values));
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const utf8Bytes = (set: readonly string[]): number => set.reduce((n, m) => n + new TextEncoder().encode(m).length, 0);
const pct = (part: number, whole: number): number => Math.round((1000 * part) / whole) / 10;

/** Status messages per hour at SF12 within the duty cycle, after the emergency reserve. */
export function statusPerHour(appBytes: number): number {
  if (appBytes > maxAppPayload(12)) return 0;
  const budgetMs = 3_600_000 * DUTY_CYCLE - EMERGENCY_RESERVE_FRAMES * lorawanAirtimeMs(maxAppPayload(12), 12);
  return Math.floor(budgetMs / lorawanAirtimeMs(appBytes, 12));
}

/**
 * The same held-out messages through Unishox2 (the compressor Meshtastic uses), one message at a time as
 * the relay sends them. There is no Unishox2 on npm and its C source is not ours to ship: build its CLI from
 * the upstream repository (siara-cc/Unishox2: `gcc -O2 -o unishox2 test_unishox2.c unishox2.c`) and point
 * UNISHOX2_BIN at it. Without it the figure is left out (and said so), never guessed.
 */
function unishox2Bytes(messages: readonly string[]): number | null {
  const bin = process.env.UNISHOX2_BIN;
  if (!bin || !existsSync(bin)) {
    process.stderr.write('bench lora: text_ratio_pct_unishox2 left out: set UNISHOX2_BIN to a Unishox2 CLI (see bench/README.md)\n');
    return null;
  }
  let total = 0;
  for (const m of messages) {
    const out = execFileSync(bin, [m], { encoding: 'utf8' });
    const r = /Bytes \(Compressed\/Original=Savings%\): (\d+)\/(\d+)=/.exec(out);
    if (!r || /DOES NOT MATCH/.test(out)) throw new Error(`unishox2 did not round-trip: ${m}`);
    if (Number(r[2]) !== Buffer.byteLength(m)) throw new Error(`unishox2 counted ${r[2]} bytes for a ${Buffer.byteLength(m)}-byte message`);
    total += Number(r[1]);
  }
  return total;
}

export default async function run(): Promise<Record<string, Figure>> {
  const day = simulatedDay();
  const ours = mean(day.map((s) => encodeMessage(s).bytes.length));
  const lpp = mean(day.map((s) => cayenneLpp(s).length));
  const json = mean(day.map((s) => statusJson(s).length));
  const heldOutPacked = HELD_OUT.reduce((n, m) => n + compressText(m).length, 0);
  const trainPacked = TRAINING.reduce((n, m) => n + compressText(m).length, 0);
  const deflated = HELD_OUT.reduce((n, m) => n + deflateRawSync(Buffer.from(m), { level: 9 }).length, 0);
  const airtime = lorawanAirtimeMs(Math.ceil(ours), 12);
  // Relay failover in simulation (needs socat): IP cut → LoRa → IP back, emergency behind a backlog.
  const trials = [];
  for (let i = 0; i < RELAY_TRIALS; i++) trials.push(await runFailoverTrial({ speed: 10, backlog: 24, emergencyWhileSending: true }));
  if (trials.some((t) => !t.emergencyConfirmed)) throw new Error('an emergency was sent but not confirmed by the network');
  const unishox2 = unishox2Bytes(HELD_OUT);
  return {
    status_bytes: { value: ours, unit: 'B' },
    status_bytes_cayennelpp: { value: lpp, unit: 'B' },
    status_bytes_json: { value: Math.round(json * 10) / 10, unit: 'B' },
    status_airtime_sf12_ms: { value: airtime, unit: 'ms' },
    status_airtime_sf12_ms_cayennelpp: { value: lorawanAirtimeMs(Math.ceil(lpp), 12), unit: 'ms' },
    status_offtime_sf12_s: { value: Math.round(dutyCycleOffMs(airtime, DUTY_CYCLE)) / 1000, unit: 's' },
    status_per_hour_sf12: { value: statusPerHour(Math.ceil(ours)), unit: '/h' },
    status_per_hour_sf12_cayennelpp: { value: statusPerHour(Math.ceil(lpp)), unit: '/h' },
    status_per_hour_sf12_json: { value: statusPerHour(Math.ceil(json)), unit: '/h' },
    text_ratio_pct: { value: pct(heldOutPacked, utf8Bytes(HELD_OUT)), unit: '%' },
    text_ratio_pct_train: { value: pct(trainPacked, utf8Bytes(TRAINING)), unit: '%' },
    text_ratio_pct_deflate: { value: pct(deflated, utf8Bytes(HELD_OUT)), unit: '%' },
    ...(unishox2 !== null ? { text_ratio_pct_unishox2: { value: pct(unishox2, utf8Bytes(HELD_OUT)), unit: '%' } } : {}),
    emergency_tx_delay_max_s: { value: Math.max(...trials.map((t) => t.emergencyTxDelayMs)) / 1000, unit: 's' },
    lost_or_duplicated: { value: trials.reduce((n, t) => n + t.lost + t.duplicated, 0), unit: 'msgs' },
  };
}
