// Link quality and "which link did this node come over", learned from the links' own events, so it works
// the same for serial, MQTT and VE.Direct without reaching into any transport.
import type { NodeLink } from '../links/link.js';

export interface LinkHealth {
  name: string;
  /** null until the link reported its state. */
  up: boolean | null;
  detail: string | null;
  since: number | null;
  messages: number;
  /** Rejected frames or payloads by reason (e.g. a serial CRC mismatch, bad JSON, schema). */
  rejected: Record<string, number>;
  lastRejected: { at: number; reason: string; detail: string } | null;
}

export interface NodeSighting {
  link: string;
  at: number;
  /** Every link this node was heard on, with the last time. */
  links: Record<string, number>;
}

export class LinkMonitor {
  private readonly health = new Map<string, LinkHealth>();
  private readonly seen = new Map<string, NodeSighting>();
  private readonly offs: (() => void)[] = [];

  constructor(private readonly now: () => number) {}

  attach(link: NodeLink): void {
    const h: LinkHealth = { name: link.name, up: null, detail: null, since: null, messages: 0, rejected: {}, lastRejected: null };
    this.health.set(link.name, h);
    this.offs.push(
      link.on('status', (s) => {
        h.up = s.up;
        h.detail = s.detail ?? null;
        h.since = this.now();
      }),
      link.on('message', ({ msg, link: name, receivedAt }) => {
        h.messages++;
        // A frame arriving means the transport is up, whatever it said before.
        if (h.up === null) h.up = true;
        const s = this.seen.get(msg.node) ?? { link: name, at: receivedAt, links: {} };
        s.link = name;
        s.at = receivedAt;
        s.links[name] = receivedAt;
        this.seen.set(msg.node, s);
      }),
      link.on('rejected', (r) => {
        h.rejected[r.reason] = (h.rejected[r.reason] ?? 0) + 1;
        h.lastRejected = { at: this.now(), reason: r.reason, detail: r.detail.slice(0, 120) };
      }),
    );
  }

  links(): LinkHealth[] {
    return [...this.health.values()].map((h) => ({ ...h, rejected: { ...h.rejected } }));
  }

  sighting(node: string): NodeSighting | null {
    const s = this.seen.get(node);
    return s ? { ...s, links: { ...s.links } } : null;
  }

  detach(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
