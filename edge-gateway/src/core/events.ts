// Events on the gateway's in-process bus (`new EventBus<GatewayEvents>(log)`). Payloads are emitted only
// after the data they describe is durably stored, so a listener may rely on the store agreeing with them.
import type { MessageOf, NodeKind } from '../protocol/index.js';

export type TelemetryMessage = MessageOf<'fuel'> | MessageOf<'battery'> | MessageOf<'visitors'> | MessageOf<'charger'>;
export type TelemetryType = TelemetryMessage['type'];

interface Received<M> {
  msg: M;
  /** Link name it arrived on (`serial:/dev/ttyUSB0`, `mqtt` …). */
  link: string;
  /** Gateway clock at arrival. */
  receivedAt: number;
}

export interface GatewayEvents {
  /** A telemetry message was stored (fuel, battery, visitors, charger). */
  reading: Received<TelemetryMessage>;
  /** A heartbeat was stored. */
  heartbeat: Received<MessageOf<'hb'>>;
  /** A node answered a command; `msg.body.cmd` is the command's seq. */
  result: Received<MessageOf<'result'>>;
  /** A message already stored arrived again (the node missed our ack); it was acknowledged again. */
  duplicate: { node: string; boot: number; seq: number; type: string; link: string; receivedAt: number };
  /** The ingest refused a message: it is not stored and not acknowledged. */
  rejected: { node?: string; boot?: number; seq?: number; link: string; reason: 'unserialisable' | 'too-large' | 'store-refused' | 'not-uplink'; detail: string };
  /** A group commit failed as a whole; its messages were not acknowledged (nodes will resend). */
  storeError: { op: string; detail: string; messages: number };
  /** A node became reachable (a message arrived) or stale (missed heartbeats); see core/registry.ts. */
  availability: { node: string; online: boolean; kind: NodeKind | null; lastSeen: number | null; at: number };
}
