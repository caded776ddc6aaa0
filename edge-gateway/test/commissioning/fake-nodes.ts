// Fake nodes behind a fake link for the commissioning tests: they speak the real protocol (messages are
// validated by MessageSchema before they reach the ingest) and answer commands the way the firmware does
// (firmware/src/core/node.ts: config keys must exist with the default's type; result names the command's seq).
import type { LinkEvents, NodeLink } from '../../src/links/link.js';
import { parseMessage, type CommandBody, type DownlinkMessage, type NodeKind, type UplinkMessage } from '../../src/protocol/index.js';

type Listener<K extends keyof LinkEvents> = (p: LinkEvents[K]) => void;

export class FakeLink implements NodeLink {
  private readonly listeners: { [K in keyof LinkEvents]?: Listener<K>[] } = {};
  readonly nodes = new Map<string, FakeNode>();
  readonly sent: DownlinkMessage[] = [];

  constructor(readonly name: string) {}

  start(): Promise<void> {
    this.emit('status', { link: this.name, up: true });
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  add(node: FakeNode): FakeNode {
    this.nodes.set(node.id, node);
    node.link = this;
    return node;
  }

  send(msg: DownlinkMessage): boolean {
    const node = this.nodes.get(msg.node);
    if (!node) return false;
    this.sent.push(msg);
    if (msg.type === 'cmd') setTimeout(() => node.command(msg.seq, msg.body), 5);
    return true;
  }

  on<K extends keyof LinkEvents>(event: K, fn: Listener<K>): () => void {
    const list = (this.listeners[event] ??= []) as Listener<K>[];
    list.push(fn);
    return () => list.splice(list.indexOf(fn) >>> 0, 1);
  }

  emit<K extends keyof LinkEvents>(event: K, payload: LinkEvents[K]): void {
    for (const fn of (this.listeners[event] ?? []) as Listener<K>[]) fn(payload);
  }

  /** A corrupt serial frame, as the serial link reports it. */
  corrupt(detail: string): void {
    this.emit('rejected', { link: this.name, reason: 'crc', detail });
  }
}

export class FakeNode {
  link: FakeLink | null = null;
  private seq = 0;
  readonly config: Record<string, string | number | boolean>;
  /** Charger ports: on/off and the current a plugged phone draws. */
  readonly ports = [
    { p: 0, on: false, drawMa: 1800 },
    { p: 1, on: false, drawMa: 0 },
  ];
  /** Fuel: distance sensor → fuel surface. */
  rawMm = 300;

  constructor(
    readonly id: string,
    readonly kind: NodeKind,
    readonly fw: string,
    config: Record<string, string | number | boolean> = {},
  ) {
    this.config = { id, hbSec: 30, ...config };
  }

  private up(type: UplinkMessage['type'], body: unknown): void {
    if (!this.link) throw new Error(`${this.id} is on no link`);
    const msg = parseMessage({ v: 1, node: this.id, boot: 1, seq: ++this.seq, ts: Date.now(), type, body }) as UplinkMessage;
    this.link.emit('message', { msg, link: this.link.name, receivedAt: Date.now() });
  }

  heartbeat(flags: string[] = []): void {
    this.up('hb', { kind: this.kind, fw: this.fw, up: 100, mem: 4200, flags, link: this.link?.name.startsWith('serial') ? 'serial' : 'mqtt' });
  }

  /** One fuel report computed from the node's own table, as firmware/src/nodes/fuel does. */
  reportFuel(): void {
    const rows = String(this.config.table).split(',').map((p) => p.split(':').map(Number) as [number, number]);
    const h = Number(this.config.depthMm) - this.rawMm;
    let litres = rows[rows.length - 1]![1];
    for (let i = 1; i < rows.length; i++) {
      const [h1, l1] = rows[i]!;
      const [h0, l0] = rows[i - 1]!;
      if (h <= h1) {
        litres = h <= h0 ? l0 : l0 + ((h - h0) / (h1 - h0)) * (l1 - l0);
        break;
      }
    }
    litres = Math.round(litres * 10) / 10;
    this.up('fuel', { litres, pct: Math.round((litres / rows[rows.length - 1]![1]) * 1000) / 10, rawMm: this.rawMm, status: 'ok', refuelling: false });
  }

  reportCharger(): void {
    this.up('charger', { ports: this.ports.map((p) => ({ p: p.p, on: p.on, mA: p.on ? p.drawMa : 0, fault: null })), failsafe: false });
  }

  command(seq: number, body: CommandBody): void {
    let error: string | null = null;
    if (body.op === 'config') {
      const bad = Object.keys(body.set).find((k) => !(k in this.config) || typeof this.config[k] !== typeof body.set[k]);
      if (bad !== undefined) error = 'bad key ' + bad;
      else Object.assign(this.config, body.set);
    } else if (body.op === 'port') {
      const port = this.ports.find((p) => p.p === body.port);
      if (!port) error = 'no port ' + body.port;
      else port.on = body.on;
    }
    this.up('result', { cmd: seq, ok: error === null, ...(error ? { error } : {}) });
    if (body.op === 'port' && error === null) setTimeout(() => this.reportCharger(), 5);
  }
}
