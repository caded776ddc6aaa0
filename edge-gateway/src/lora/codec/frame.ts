// One frame ⇄ one message: 2-bit codec version, 6-bit id (kinds that have one), the kind's layout,
// CRC-8. Decoding checks, in order: size, CRC, version, fields, padding, trailing bytes.
import { BitReader, BitWriter } from './bits.js';
import { crc8 } from './crc8.js';
import { FrameDecodeError, FrameEncodeError, LoraCodecError } from './errors.js';
import { decodeLayout, encodeLayout, minBits, type Values } from './layout.js';
import type { FragmentMessage, Frame, LoraMessage } from './messages.js';
import { CODEC_VERSION, FRAGMENT_OVERHEAD, FRAGMENT_PORT, KINDS, MAX_FRAGMENTS, MAX_FRAME_BYTES, kindOfPort } from './ports.js';

function checkId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 63) {
    throw new FrameEncodeError(`id must be an integer 0–63, got ${String(id)}`);
  }
  return id;
}

function withCrc(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  out[body.length] = crc8(body);
  return out;
}

/** One frame for a message; throws if it exceeds a LoRaWAN payload (use encodeFrames to fragment). */
export function encodeMessage(msg: LoraMessage): Frame {
  const frame = buildFrame(msg);
  if (frame.bytes.length > MAX_FRAME_BYTES) {
    throw new FrameEncodeError(`${msg.kind} is ${frame.bytes.length} bytes, over ${MAX_FRAME_BYTES}: fragment it`);
  }
  return frame;
}

function buildFrame(msg: LoraMessage): Frame {
  const spec = KINDS[msg.kind];
  if (!spec) throw new FrameEncodeError(`unknown message kind ${String((msg as { kind: unknown }).kind)}`);
  const w = new BitWriter();
  w.write(CODEC_VERSION, 2);
  if (spec.hasId) w.write(checkId((msg as { id?: unknown }).id), 6);
  try {
    encodeLayout(w, spec.layout, msg as unknown as Values);
  } catch (err) {
    if (err instanceof LoraCodecError) throw err;
    throw new FrameEncodeError(`cannot encode ${msg.kind}: ${String(err)}`, { cause: err });
  }
  return { port: spec.port, bytes: withCrc(w.toBytes()) };
}

export function encodeFragment(f: Omit<FragmentMessage, 'kind'>): Frame {
  const w = new BitWriter();
  w.write(CODEC_VERSION, 2);
  w.write(checkId(f.id), 6);
  w.write(f.port, 8);
  w.write(f.index, 4);
  w.write(f.total - 1, 4);
  w.writeBytes(f.chunk);
  return { port: FRAGMENT_PORT, bytes: withCrc(w.toBytes()) };
}

/**
 * Encodes a message into as many frames as `maxPayload` (application bytes per frame at the
 * current data rate) requires. Id-less kinds need `fragmentId` when they do not fit.
 */
export function encodeFrames(msg: LoraMessage, maxPayload = 51, fragmentId?: number): Frame[] {
  const whole = buildFrame(msg);
  if (whole.bytes.length <= maxPayload) return [whole];
  const chunkSize = Math.min(maxPayload, MAX_FRAME_BYTES) - FRAGMENT_OVERHEAD;
  if (chunkSize < 1) throw new FrameEncodeError(`maxPayload ${maxPayload} leaves no room for a fragment`);
  const total = Math.ceil(whole.bytes.length / chunkSize);
  if (total > MAX_FRAGMENTS) {
    throw new FrameEncodeError(`${msg.kind} needs ${total} fragments of ${maxPayload} bytes, at most ${MAX_FRAGMENTS} allowed`);
  }
  const id = fragmentId ?? (msg as { id?: number }).id;
  const frames: Frame[] = [];
  for (let index = 0; index < total; index++) {
    const chunk = whole.bytes.subarray(index * chunkSize, (index + 1) * chunkSize);
    frames.push(encodeFragment({ id: checkId(id), port: whole.port, index, total, chunk }));
  }
  return frames;
}

function readHeader(port: number, bytes: Uint8Array, minBodyBits: number, maxBytes: number): BitReader {
  if (!Number.isInteger(port) || port < 1 || port > 223) throw new FrameDecodeError('port', `fPort ${port} is not an application port`);
  if (bytes.length > maxBytes) throw new FrameDecodeError('oversize', `frame is ${bytes.length} bytes, over ${maxBytes}`);
  const minBytes = Math.ceil(minBodyBits / 8) + 1;
  if (bytes.length < minBytes) throw new FrameDecodeError('truncated', `frame is ${bytes.length} bytes, fPort ${port} needs at least ${minBytes}`);
  const body = bytes.subarray(0, bytes.length - 1);
  if (crc8(body) !== bytes[bytes.length - 1]) throw new FrameDecodeError('checksum', 'CRC-8 mismatch: frame corrupted or not ours');
  const r = new BitReader(body);
  const version = r.read(2);
  if (version !== CODEC_VERSION) throw new FrameDecodeError('version', `codec version ${version} not supported (this is v${CODEC_VERSION})`);
  return r;
}

/** Decodes one received frame (at most one LoRaWAN payload). */
export function decodeFrame(port: number, bytes: Uint8Array): LoraMessage | FragmentMessage {
  if (port === FRAGMENT_PORT) {
    const r = readHeader(port, bytes, 8 + 16 + 8, MAX_FRAME_BYTES);
    const id = r.read(6);
    const inner = r.read(8);
    const index = r.read(4);
    const total = r.read(4) + 1;
    if (inner === FRAGMENT_PORT || !kindOfPort(inner)) throw new FrameDecodeError('fragment', `fragment of unknown fPort ${inner}`);
    if (total < 2 || index >= total) throw new FrameDecodeError('fragment', `fragment ${index + 1} of ${total} is impossible`);
    return { kind: 'fragment', id, port: inner, index, total, chunk: Uint8Array.from(r.rest()) };
  }
  return decodeMessage(port, bytes, MAX_FRAME_BYTES);
}

/** Largest message that fragments can carry. */
export const MAX_MESSAGE_BYTES = MAX_FRAGMENTS * (MAX_FRAME_BYTES - FRAGMENT_OVERHEAD);

/** Decodes a whole message: one frame, or the concatenated chunks of its fragments. */
export function decodeMessage(port: number, bytes: Uint8Array, maxBytes = MAX_MESSAGE_BYTES): LoraMessage {
  const kind = kindOfPort(port);
  if (!kind) throw new FrameDecodeError('port', `fPort ${port} is not used by codec v${CODEC_VERSION}`);
  const spec = KINDS[kind];
  const r = readHeader(port, bytes, 2 + (spec.hasId ? 6 : 0) + minBits(spec.layout), maxBytes);
  const id = spec.hasId ? r.read(6) : 0;
  const values = decodeLayout(r, spec.layout);
  r.align();
  if (r.bitsLeft !== 0) throw new FrameDecodeError('oversize', `${r.bitsLeft / 8} unexpected trailing byte(s)`);
  return { kind, ...(spec.hasId ? { id } : {}), ...values } as unknown as LoraMessage;
}
