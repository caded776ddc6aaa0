// MQTT topics between nodes and the point's gateway. A node may publish only under its own
// `up`/`state` topics and subscribe only to its own `down` topic (enforced by the broker ACL).
import type { DownlinkMessage, UplinkMessage } from './messages.js';

export const TOPIC_ROOT = 'noodsteun';

export const nodeTopics = {
  /** node → gateway: one protocol message (JSON) per publish. */
  up: (node: string) => `${TOPIC_ROOT}/node/${node}/up`,
  /** gateway → node: commands and acknowledgements. */
  down: (node: string) => `${TOPIC_ROOT}/node/${node}/down`,
  /** Retained availability: birth `online` on connect, last will `offline`. */
  state: (node: string) => `${TOPIC_ROOT}/node/${node}/state`,
} as const;

export const NODE_UP_FILTER = `${TOPIC_ROOT}/node/+/up`;
export const NODE_STATE_FILTER = `${TOPIC_ROOT}/node/+/state`;

export type NodeAvailability = 'online' | 'offline';

/** Typed payloads per topic kind, for the UI and tests. */
export interface NodeTopicPayloads {
  up: UplinkMessage;
  down: DownlinkMessage;
  state: NodeAvailability;
}

const NODE_TOPIC_RE = new RegExp(`^${TOPIC_ROOT}/node/([a-z0-9][a-z0-9-]{0,31})/(up|down|state)$`);

export function parseNodeTopic(topic: string): { node: string; kind: keyof NodeTopicPayloads } | null {
  const m = NODE_TOPIC_RE.exec(topic);
  if (!m) return null;
  return { node: m[1]!, kind: m[2] as keyof NodeTopicPayloads };
}
