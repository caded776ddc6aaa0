// The one protocol between nodes and the gateway: the same JSON envelope travels over
// serial (framed, see framing.ts) and MQTT (one message per publish, see topics.ts).
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** Node ids appear in MQTT topics and usernames: keep them to a safe, short alphabet. */
export const NodeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'node id: 1-32 of a-z 0-9 -, starting with a letter or digit');
export const NODE_KINDS = ['fuel', 'battery', 'visitors', 'charger', 'vedirect'] as const;
export const NodeKindSchema = z.enum(NODE_KINDS);
export type NodeKind = z.infer<typeof NodeKindSchema>;

const u32 = z.number().int().min(0).max(0xffffffff);
const finite = z.number().finite();
/** A measurement that may be unknown. Unknown is null, never 0. */
const reading = finite.nullable();

export const FuelBodySchema = z.object({
  /** Fuel in the tank in litres, from the tank shape table; null when the sensor cannot be trusted. */
  litres: reading,
  /** Fill level 0–100 %; null when unknown. */
  pct: z.number().min(0).max(100).nullable(),
  /** Raw distance from sensor to fuel surface (ultrasonic) in mm, for diagnostics. */
  rawMm: reading,
  status: z.enum(['ok', 'blind', 'fault', 'unplugged']),
  refuelling: z.boolean(),
});

export const BatteryBodySchema = z.object({
  /** Bank voltage in V. */
  v: reading,
  /** Current in A, positive when charging. */
  a: reading,
  /** State of charge 0–100 %. */
  soc: z.number().min(0).max(100).nullable(),
  status: z.enum(['ok', 'fault']),
  /** Time to go in minutes, when the monitor reports it (VE.Direct TTG). */
  ttgMin: reading.optional(),
});

export const VisitorsBodySchema = z.object({
  /** Counters since the last reset by staff (they survive node reboots). */
  entries: u32,
  exits: u32,
  /** entries − exits, floored at 0 (groups undercount). */
  inside: u32,
});

export const PortFaultSchema = z.enum(['overcurrent', 'stuck-on', 'sensor']);
export const ChargerPortSchema = z.object({
  p: z.number().int().min(0).max(31),
  on: z.boolean(),
  mA: reading,
  fault: PortFaultSchema.nullable(),
});
export const ChargerBodySchema = z.object({
  ports: z.array(ChargerPortSchema).max(32),
  /** True while the node has switched every port off because the gateway went silent. */
  failsafe: z.boolean(),
});

export const HeartbeatBodySchema = z.object({
  kind: NodeKindSchema,
  fw: z.string().max(32),
  /** Uptime in seconds. */
  up: u32,
  /** Free JsVars (Espruino) or free heap units; null where unknown. */
  mem: u32.nullable(),
  /** Error flags, e.g. Espruino's E.getErrorFlags(): LOW_MEMORY, BUFFER_FULL … */
  flags: z.array(z.string().max(32)).max(16),
  link: z.enum(['serial', 'mqtt']),
  /** Wi-Fi RSSI in dBm when on MQTT. */
  rssi: finite.optional(),
});

export const CommandBodySchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('port'), port: z.number().int().min(0).max(31), on: z.boolean() }),
  z.object({ op: z.literal('config'), set: z.record(z.string().max(32), z.union([z.string().max(64), finite, z.boolean()])) }),
  z.object({ op: z.literal('reboot') }),
  z.object({ op: z.literal('ping') }),
  /** Serial nodes: answer, then hand the USB UART back to Espruino's REPL for the espruino CLI (firmware upload). */
  z.object({ op: z.literal('console') }),
]);

export const ResultBodySchema = z.object({
  /** seq of the command this answers. */
  cmd: u32,
  ok: z.boolean(),
  error: z.string().max(64).optional(),
});

export const AckBodySchema = z.object({
  /** Boot id of the messages acknowledged. */
  boot: u32,
  /** Sequence numbers now durably stored by the gateway. */
  seqs: z.array(u32).min(1).max(64),
});

const envelope = {
  v: z.literal(PROTOCOL_VERSION),
  /** Node the message is from (uplink) or for (downlink). */
  node: NodeIdSchema,
  /** Boot counter of the sender: (node, boot, seq) identifies a message across reboots. */
  boot: u32,
  seq: u32,
  /** Sender's clock, ms since the Unix epoch (nodes without time sync send uptime-based time; the gateway keeps its own receive time). */
  ts: z.number().int().min(0),
};

export const MessageSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('fuel'), body: FuelBodySchema }),
  z.object({ ...envelope, type: z.literal('battery'), body: BatteryBodySchema }),
  z.object({ ...envelope, type: z.literal('visitors'), body: VisitorsBodySchema }),
  z.object({ ...envelope, type: z.literal('charger'), body: ChargerBodySchema }),
  z.object({ ...envelope, type: z.literal('hb'), body: HeartbeatBodySchema }),
  z.object({ ...envelope, type: z.literal('result'), body: ResultBodySchema }),
  z.object({ ...envelope, type: z.literal('cmd'), body: CommandBodySchema }),
  z.object({ ...envelope, type: z.literal('ack'), body: AckBodySchema }),
]);

export type Message = z.infer<typeof MessageSchema>;
export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;
export type FuelBody = z.infer<typeof FuelBodySchema>;
export type BatteryBody = z.infer<typeof BatteryBodySchema>;
export type VisitorsBody = z.infer<typeof VisitorsBodySchema>;
export type ChargerBody = z.infer<typeof ChargerBodySchema>;
export type ChargerPort = z.infer<typeof ChargerPortSchema>;
export type HeartbeatBody = z.infer<typeof HeartbeatBodySchema>;
export type CommandBody = z.infer<typeof CommandBodySchema>;
export type ResultBody = z.infer<typeof ResultBodySchema>;
export type AckBody = z.infer<typeof AckBodySchema>;

/** Messages a node sends; the gateway sends `cmd` and `ack`. */
export const UPLINK_TYPES = ['fuel', 'battery', 'visitors', 'charger', 'hb', 'result'] as const satisfies readonly MessageType[];
export const DOWNLINK_TYPES = ['cmd', 'ack'] as const satisfies readonly MessageType[];
export type UplinkMessage = Extract<Message, { type: (typeof UPLINK_TYPES)[number] }>;
export type DownlinkMessage = Extract<Message, { type: (typeof DOWNLINK_TYPES)[number] }>;
/** Telemetry types are stored as readings; the others are control traffic. */
export const TELEMETRY_TYPES = ['fuel', 'battery', 'visitors', 'charger'] as const satisfies readonly MessageType[];

export function isUplink(m: Message): m is UplinkMessage {
  return (UPLINK_TYPES as readonly string[]).includes(m.type);
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Validates an already-parsed JSON value; throws ProtocolError naming every bad field by path. */
export function parseMessage(value: unknown): Message {
  const r = MessageSchema.safeParse(value);
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
  throw new ProtocolError(`invalid message: ${detail}`);
}

/** Parses a JSON text (MQTT payload or frame body). */
export function decodeMessage(text: string): Message {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ProtocolError(`malformed JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseMessage(value);
}

export function encodeMessage(m: Message): string {
  return JSON.stringify(m);
}
