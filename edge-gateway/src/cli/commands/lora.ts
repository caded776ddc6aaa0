// `noodsteun lora …`: airtime, encode/decode frames of the LoRa codec, write the TS013 codec file.
import { writeFile } from 'node:fs/promises';
import { text as readStream } from 'node:stream/consumers';
import { UsageError, parseCommandArgs, wantsHelp, type Command } from '../command.js';
import { LORAWAN_OVERHEAD_BYTES, lorawanAirtimeMs, maxAppPayload } from '../../lora/airtime.js';
import {
  LoraCodecError,
  Reassembler,
  encodeFrames,
  type LoraMessage,
} from '../../lora/codec/index.js';

const USAGE = `Usage: noodsteun lora <sub-command> [options]

  airtime --sf <7-12> --payload <bytes>
      Time on air in ms of an uplink with <bytes> of application payload
      (EU868, 125 kHz, CR 4/5, LoRaWAN's ${LORAWAN_OVERHEAD_BYTES} bytes added).
  encode --text "<message>" [--id <0-63>] [--sf <7-12>]
  encode --json '<message as JSON>' [--sf <7-12>] [--fragment-id <0-63>]
      Prints one line per frame: "<fPort> <hex>". Messages longer than the payload limit at
      --sf (default 12: 51 bytes) are fragmented (fPort 6).
  decode
      Reads "<fPort> <hex>" lines on stdin, prints each decoded message as one JSON line,
      reassembling fragments. Bad frames are reported on stderr (exit code 1).
  codec --out <file>
      Writes the LoRaWAN Payload Codec API (TS013) file for ChirpStack v4 / The Things Stack v3.

Codec reference: edge-gateway/docs/lora-codec.md`;

function intOption(value: string | undefined, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer ${min}–${max}, got '${value}'`);
  return n;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** JSON with byte arrays as hex, so fragments print readably. */
function toJson(msg: unknown): string {
  return JSON.stringify(msg, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v));
}

export interface DecodeResult {
  messages: LoraMessage[];
  errors: string[];
}

/** Decodes "<fPort> <hex>" lines (blank lines and # comments skipped), reassembling fragments. */
export function decodeLines(lines: readonly string[]): DecodeResult {
  const reassembler = new Reassembler();
  const messages: LoraMessage[] = [];
  const errors: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(\d{1,3})\s+([0-9a-fA-F]*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined || m[2].length % 2) {
      errors.push(`line ${i + 1}: expected "<fPort> <hex>", got '${line.slice(0, 60)}'`);
      return;
    }
    try {
      const msg = reassembler.push(Number(m[1]), Uint8Array.from(Buffer.from(m[2], 'hex')));
      if (msg) messages.push(msg);
    } catch (err) {
      if (!(err instanceof LoraCodecError)) throw err;
      errors.push(`line ${i + 1}: ${err.message}`);
    }
  });
  for (const id of reassembler.pending()) errors.push(`message ${id}: fragments missing at end of input`);
  return { messages, errors };
}

async function airtime(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { sf: { type: 'string' }, payload: { type: 'string' } });
  const sf = intOption(values.sf, 'sf', 7, 12);
  const payload = intOption(values.payload, 'payload', 0, 255 - LORAWAN_OVERHEAD_BYTES);
  process.stdout.write(`${lorawanAirtimeMs(payload, sf)}\n`);
  if (payload > maxAppPayload(sf)) {
    process.stderr.write(`note: ${payload} bytes exceed the EU868 limit of ${maxAppPayload(sf)} bytes at SF${sf}\n`);
  }
  return 0;
}

async function encode(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    text: { type: 'string' },
    json: { type: 'string' },
    id: { type: 'string' },
    sf: { type: 'string' },
    'fragment-id': { type: 'string' },
  });
  if ((values.text === undefined) === (values.json === undefined)) throw new UsageError('give either --text or --json');
  let msg: LoraMessage;
  if (values.text !== undefined) {
    msg = { kind: 'text', id: intOption(values.id, 'id', 0, 63, 0), text: values.text };
  } else {
    try {
      msg = JSON.parse(values.json ?? '') as LoraMessage;
    } catch (err) {
      throw new UsageError(`--json is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  const sf = intOption(values.sf, 'sf', 7, 12, 12);
  const fragmentId = values['fragment-id'] === undefined ? undefined : intOption(values['fragment-id'], 'fragment-id', 0, 63);
  for (const f of encodeFrames(msg, maxAppPayload(sf), fragmentId)) process.stdout.write(`${f.port} ${hex(f.bytes)}\n`);
  return 0;
}

async function decode(argv: string[]): Promise<number> {
  parseCommandArgs(argv, {});
  const { messages, errors } = decodeLines((await readStream(process.stdin)).split('\n'));
  for (const m of messages) process.stdout.write(`${toJson(m)}\n`);
  for (const e of errors) process.stderr.write(`${e}\n`);
  return errors.length ? 1 : 0;
}

async function codec(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { out: { type: 'string' } });
  if (!values.out) throw new UsageError('--out <file> is required');
  const { generateTs013, TS013_MAX_BYTES } = await import('../../lora/ts013/generate.js');
  const source = generateTs013();
  await writeFile(values.out, source);
  const size = Buffer.byteLength(source);
  process.stdout.write(`wrote ${values.out} (${size} bytes of ${TS013_MAX_BYTES} allowed)\n`);
  return size <= TS013_MAX_BYTES ? 0 : 1;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = { airtime, encode, decode, codec };

export const command: Command = {
  summary: 'LoRa airtime, encode/decode relay frames, write the TS013 payload codec',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (!sub || sub === 'help' || wantsHelp(argv)) {
      process.stdout.write(`${USAGE}\n`);
      return sub ? 0 : 2;
    }
    const fn = SUBCOMMANDS[sub];
    if (!fn) throw new UsageError(`unknown sub-command '${sub}'`);
    try {
      return await fn(rest);
    } catch (err) {
      if (err instanceof LoraCodecError) {
        process.stderr.write(`noodsteun lora ${sub}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
