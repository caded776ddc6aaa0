// Coordinator ingest of relayed reports, whichever way they came: ChirpStack v4 uplink events
// (application/+/device/+/event/up), The Things Stack v3 uplinks (v3/+/devices/+/up), and the
// point's direct MQTT path (noodsteun/point/+/msg). All three are decoded with the LoRa codec — the
// IP body is encoded and decoded again, so both paths yield the same values — and applied once per
// (point, seq) through the MessageInbox. Acks go back the way the message came: a downAck frame
// (fPort 10) through the network server's downlink topic, or the row ids on noodsteun/point/<id>/ack.
// Help counts (fPort 11, LoRa only: over IP they ride in the MQTT status) are rebuilt into PointStatus.help.
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import { PointIdSchema } from '../protocol/point.js';
import { topicMatches } from '../broker/acl.js';
import { decodeMessage, encodeMessage, FrameDecodeError, FrameEncodeError, Reassembler } from '../lora/codec/index.js';
import type { LoraMessage } from '../lora/codec/index.js';
import { IpMessageSchema, RELAY_MSG_FILTER, fromLoraMessage, parseMsgTopic, relayTopics, toLoraMessage } from '../relay/messages.js';
import type { RelayPayload } from '../relay/messages.js';
import { helpAggregateFromReport, type HelpAggregate } from '../relay/help-report.js';
import type { InboxMessage, InboxPath, MessageInbox } from './message-inbox.js';
import { LINK_CHECK_PORT } from '../drivers/lora-modem/index.js';

export const CHIRPSTACK_UP_FILTER = 'application/+/device/+/event/up';
export const TTN_UP_FILTER = 'v3/+/devices/+/up';
/** fPort of the coordinator's downAck (codec v1). */
const DOWN_ACK_PORT = 10;

/** One uplink from a network server, whichever its JSON. */
export interface NetworkUplink {
  network: 'chirpstack' | 'ttn';
  /** ChirpStack application id, or TTN `app@tenant` as in the topic. */
  application: string;
  /** ChirpStack DevEUI (lower-case hex) or TTN device id: what the downlink topic names. */
  device: string;
  devEui: string | null;
  deviceName: string | null;
  fPort: number;
  fCnt: number | null;
  bytes: Uint8Array;
}

export class UplinkEventError extends Error {
  override name = 'UplinkEventError';
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UplinkEventError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function base64(v: unknown, what: string): Uint8Array {
  if (v === undefined) return new Uint8Array(0);
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new UplinkEventError(`${what} must be base64`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

/** A ChirpStack v4 `event/up` (JSON encoding; fields left at their default may be missing). */
export function parseChirpstackUp(topic: string, json: unknown): NetworkUplink {
  const m = /^application\/([^/]+)\/device\/([0-9a-fA-F]{16})\/event\/up$/.exec(topic);
  if (!m) throw new UplinkEventError(`not a ChirpStack uplink topic: ${topic}`);
  const o = obj(json, 'uplink event');
  const info = obj(o.deviceInfo, 'deviceInfo');
  const devEui = String(info.devEui ?? m[2]).toLowerCase();
  if (devEui !== m[2]!.toLowerCase()) throw new UplinkEventError(`deviceInfo.devEui ${devEui} does not match the topic`);
  const fPort = o.fPort ?? 0;
  if (typeof fPort !== 'number' || !Number.isInteger(fPort) || fPort < 0 || fPort > 255) throw new UplinkEventError('fPort must be 0–255');
  return {
    network: 'chirpstack',
    application: m[1]!,
    device: devEui,
    devEui,
    deviceName: typeof info.deviceName === 'string' ? info.deviceName : null,
    fPort,
    fCnt: typeof o.fCnt === 'number' ? o.fCnt : 0,
    bytes: base64(o.data, 'data'),
  };
}

/** A The Things Stack v3 `up` message (`uplink_message.frm_payload`; f_port 0 or missing = MAC only). */
export function parseTtnUp(topic: string, json: unknown): NetworkUplink {
  const m = /^v3\/([^/]+)\/devices\/([^/]+)\/up$/.exec(topic);
  if (!m) throw new UplinkEventError(`not a TTN uplink topic: ${topic}`);
  const o = obj(json, 'uplink');
  const ids = obj(o.end_device_ids, 'end_device_ids');
  if (ids.device_id !== m[2]) throw new UplinkEventError(`end_device_ids.device_id does not match the topic device ${m[2]}`);
  const up = obj(o.uplink_message, 'uplink_message');
  const fPort = up.f_port ?? 0;
  if (typeof fPort !== 'number' || !Number.isInteger(fPort) || fPort < 0 || fPort > 255) throw new UplinkEventError('f_port must be 0–255');
  return {
    network: 'ttn',
    application: m[1]!,
    device: m[2]!,
    devEui: typeof ids.dev_eui === 'string' ? ids.dev_eui.toLowerCase() : null,
    deviceName: m[2]!,
    fPort,
    fCnt: typeof up.f_cnt === 'number' ? up.f_cnt : 0,
    bytes: base64(up.frm_payload, 'frm_payload'),
  };
}

/** The downlink that carries a downAck back through the network server. */
export function downAckCommand(up: Pick<NetworkUplink, 'network' | 'application' | 'device'>, ids: number[]): { topic: string; body: unknown } {
  const data = Buffer.from(encodeMessage({ kind: 'downAck', ids }).bytes).toString('base64');
  if (up.network === 'chirpstack') {
    return { topic: `application/${up.application}/device/${up.device}/command/down`, body: { devEui: up.device, confirmed: false, fPort: DOWN_ACK_PORT, data } };
  }
  return { topic: `v3/${up.application}/devices/${up.device}/down/push`, body: { downlinks: [{ f_port: DOWN_ACK_PORT, frm_payload: data, priority: 'HIGH' }] } };
}

export interface RelayIngestHandlers {
  /** A report applied for the first time. */
  message?(m: InboxMessage): void;
  /** A status newer than the one held. */
  status?(point: string, status: unknown, path: InboxPath): void;
  /** Help counts relayed over LoRa, in the shape of PointStatus.help; `cut`: the point had more categories than one frame carries. */
  help?(point: string, help: HelpAggregate, meta: { received: number; path: InboxPath; cut: boolean }): void;
}

export interface RelayIngestOptions {
  /** Broker to connect to; or pass `client` to share a connection (the embedded broker allows one session per user). */
  url?: string;
  /** An MQTT client owned by the caller; the ingest adds its listener and removes it on stop(). */
  client?: MqttClient;
  username?: string;
  password?: string;
  clientId?: string;
  inbox: MessageInbox;
  clock: Clock;
  log: Logger;
  on?: RelayIngestHandlers;
  /** Which point a LoRaWAN device is; default: its device name if that is a valid point id. */
  pointOf?: (up: NetworkUplink) => string | null;
  /** Acks for one device are gathered this long into one downlink (≤ 10 downlinks a day on TTN). Default 2 s. */
  ackDelayMs?: number;
  /** Subscribe to ChirpStack v4 / TTN v3 / the direct path (all by default). */
  sources?: { chirpstack?: boolean; ttn?: boolean; ip?: boolean };
  maxPayloadBytes?: number;
}

interface PendingAck {
  up: NetworkUplink;
  ids: Set<number>;
}

function defaultPointOf(up: NetworkUplink): string | null {
  return up.deviceName && PointIdSchema.safeParse(up.deviceName).success ? up.deviceName : null;
}

export class RelayIngest {
  private client: MqttClient | null = null;
  private detach: (() => void) | null = null;
  private filters: string[] = [];
  private readonly reassemblers = new Map<string, Reassembler>();
  private readonly pendingAcks = new Map<string, PendingAck>();
  readonly stats = { received: 0, applied: 0, duplicates: 0, statuses: 0, helps: 0, rejected: 0, downAcks: 0, ipAcks: 0 };

  constructor(private readonly opts: RelayIngestOptions) {}

  async start(): Promise<void> {
    const o = this.opts;
    if (!o.client && !o.url) throw new Error('RelayIngest needs a broker url or a client');
    const src = { chirpstack: true, ttn: true, ip: true, ...o.sources };
    const client = o.client ?? mqtt.connect(o.url!, { username: o.username, password: o.password, clientId: o.clientId ?? `${o.username ?? 'coordinator'}-relay-ingest`, reconnectPeriod: 2000 });
    this.client = client;
    const onMessage = (topic: string, payload: Buffer) => {
      // A shared client delivers every subscription's messages to every listener: take only ours.
      if (this.filters.some((f) => topicMatches(f, topic))) this.onMqtt(topic, payload);
    };
    const onError = (err: Error) => o.log.warn('broker connection error', { error: errorMessage(err) });
    client.on('message', onMessage);
    client.on('error', onError);
    this.detach = () => {
      client.off('message', onMessage);
      client.off('error', onError);
    };
    this.filters = [...(src.chirpstack ? [CHIRPSTACK_UP_FILTER] : []), ...(src.ttn ? [TTN_UP_FILTER] : []), ...(src.ip ? [RELAY_MSG_FILTER] : [])];
    if (!client.connected) await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await client.subscribeAsync(this.filters, { qos: 1 });
  }

  async stop(): Promise<void> {
    this.detach?.();
    this.detach = null;
    const c = this.client;
    this.client = null;
    if (!c) return;
    if (this.opts.client) await c.unsubscribeAsync(this.filters).catch(() => {});
    else await c.endAsync().catch(() => {});
  }

  private reject(where: string, detail: string): void {
    this.stats.rejected++;
    this.opts.log.warn('relayed message rejected', { where, detail });
  }

  private onMqtt(topic: string, payload: Buffer): void {
    if (payload.length > (this.opts.maxPayloadBytes ?? 16 * 1024)) return this.reject(topic, `payload of ${payload.length} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      return this.reject(topic, `malformed JSON: ${errorMessage(err)}`);
    }
    try {
      if (topic.startsWith('application/')) this.onUplink(parseChirpstackUp(topic, json));
      else if (topic.startsWith('v3/')) this.onUplink(parseTtnUp(topic, json));
      else this.onIp(topic, json);
    } catch (err) {
      if (err instanceof UplinkEventError || err instanceof FrameDecodeError || err instanceof FrameEncodeError) return this.reject(topic, err.message);
      throw err;
    }
  }

  /** One network-server uplink: reassemble, decode, apply once, ack. Public for tests and other transports. */
  onUplink(up: NetworkUplink): void {
    if (up.fPort === 0 || up.bytes.length === 0) return; // MAC commands or an empty frame
    if (up.fPort === LINK_CHECK_PORT) return; // a technician's link check at commissioning: no report, no reject
    const point = (this.opts.pointOf ?? defaultPointOf)(up);
    if (!point) return this.reject(`${up.network}:${up.device}`, 'device is no known point');
    const key = `${up.network}:${up.application}:${up.device}`;
    let ra = this.reassemblers.get(key);
    if (!ra) this.reassemblers.set(key, (ra = new Reassembler({ now: () => this.opts.clock.now() })));
    const msg = ra.push(up.fPort, up.bytes);
    if (!msg) return;
    this.stats.received++;
    const now = this.opts.clock.now();
    const path: InboxPath = up.network;
    const payload = fromLoraMessage(msg);
    if (!payload) return this.reject(key, `a ${msg.kind} is not an uplink report`);
    if (payload.kind === 'status') return this.status(point, payload.body, now, now, path);
    if (payload.kind === 'help') {
      // Idempotent like a status (the newest wins, no id to ack); received time is all LoRa tells of its age.
      const help = helpAggregateFromReport(payload.body);
      this.stats.helps++;
      this.opts.on?.help?.(point, help, { received: now, path, cut: payload.body.cut });
      return;
    }
    const id = (msg as LoraMessage & { id: number }).id;
    const seq = this.opts.inbox.resolveLoraId(point, id);
    if (seq === null) return this.reject(key, `id ${id} is older than anything from ${point}`);
    const ageMin = msg.kind === 'emergency' ? msg.ageMin : null;
    this.applyMessage({ point, seq, kind: payload.kind, body: payload.body, created: ageMin === null ? now : now - ageMin * 60_000, received: now, path });
    this.queueDownAck(key, up, id);
  }

  private onIp(topic: string, json: unknown): void {
    const point = parseMsgTopic(topic);
    if (!point) return this.reject(topic, 'unknown topic');
    const r = IpMessageSchema.safeParse(json);
    if (!r.success) return this.reject(topic, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const m = r.data;
    if (m.point !== point) return this.reject(topic, `message of '${m.point}' on the topic of '${point}'`);
    if ((m.kind === 'status') !== (m.seq === null)) return this.reject(topic, 'a status has no seq, every other kind has one');
    // Through the codec and back: the same checks and the same values as a LoRa frame.
    const now = this.opts.clock.now();
    const frame = encodeMessage(toLoraMessage({ kind: m.kind, body: m.body } as RelayPayload, m.seq, m.created, now));
    const payload = fromLoraMessage(decodeMessage(frame.port, frame.bytes));
    if (!payload || payload.kind !== m.kind) return this.reject(topic, `kind ${m.kind} did not survive the codec`);
    this.stats.received++;
    if (payload.kind === 'status') this.status(point, payload.body, m.created, now, 'ip');
    else this.applyMessage({ point, seq: m.seq!, kind: payload.kind, body: payload.body, created: m.created, received: now, path: 'ip' });
    this.client?.publish(relayTopics.ack(point), JSON.stringify({ v: 1, refs: [m.ref] }), { qos: 1 });
    this.stats.ipAcks++;
  }

  private status(point: string, body: unknown, at: number, received: number, path: InboxPath): void {
    if (this.opts.inbox.applyStatus(point, body, at, received, path)) {
      this.stats.statuses++;
      this.opts.on?.status?.(point, body, path);
    }
  }

  private applyMessage(m: InboxMessage): void {
    if (this.opts.inbox.apply(m).applied) {
      this.stats.applied++;
      this.opts.on?.message?.(m);
    } else {
      this.stats.duplicates++;
    }
  }

  private queueDownAck(key: string, up: NetworkUplink, id: number): void {
    let p = this.pendingAcks.get(key);
    if (!p) {
      p = { up, ids: new Set() };
      this.pendingAcks.set(key, p);
      this.opts.clock.setTimeout(() => this.flushAck(key), this.opts.ackDelayMs ?? 2000);
    }
    p.ids.add(id);
  }

  private flushAck(key: string): void {
    const p = this.pendingAcks.get(key);
    this.pendingAcks.delete(key);
    if (!p || !this.client) return;
    const { topic, body } = downAckCommand(p.up, [...p.ids].slice(0, 48));
    this.client.publish(topic, JSON.stringify(body), { qos: 1 });
    this.stats.downAcks++;
  }
}
