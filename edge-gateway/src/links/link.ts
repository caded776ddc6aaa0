// A node link carries protocol messages between nodes and the gateway over one transport.
// Services never see links: the gateway core wires links → ingest → store/bus, and commands back.
import type { DownlinkMessage, UplinkMessage } from '../protocol/index.js';

export interface LinkEvents {
  /** A valid uplink message arrived. */
  message: { msg: UplinkMessage; link: string; receivedAt: number };
  /** Bytes or a payload that could not be accepted (corrupt frame, bad JSON, schema error, ACL). */
  rejected: { link: string; reason: string; detail: string; node?: string };
  /** A node became reachable or unreachable on this link (MQTT birth/last will, serial port open/closed). */
  availability: { link: string; node: string; online: boolean };
  /** The transport itself went up or down (serial device unplugged, broker lost). */
  status: { link: string; up: boolean; detail?: string };
}

export interface NodeLink {
  /** Stable name for logs and the store, e.g. `serial:/dev/ttyUSB0` or `mqtt`. */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends to the node; false when the node is not reachable over this link right now. */
  send(msg: DownlinkMessage): boolean;
  /** Subscribe; returns an unsubscribe function. */
  on<K extends keyof LinkEvents>(event: K, fn: (payload: LinkEvents[K]) => void): () => void;
}
