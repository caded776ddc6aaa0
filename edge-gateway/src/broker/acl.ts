// Who may publish and subscribe where: one table, read by the embedded broker (aedes hooks)
// and by the Mosquitto config generator, so both brokers enforce the same rules.
// Everything not granted here is denied (including `$SYS/#` and bare `#`).
import { NodeIdSchema, TOPIC_ROOT } from '../protocol/index.js';

export const ROLES = ['node', 'gateway', 'coordinator', 'network-server'] as const;
/**
 * - `node`: one sensor/actuator node; its username is its node id.
 * - `gateway`: the gateway's own service user (the MQTT node link; in the coordinator role, point ingest).
 * - `coordinator`: the point↔coordinator link, confined to one point's subtree.
 * - `network-server`: a LoRaWAN network server's MQTT integration (ChirpStack v4 topics) publishing into
 *   a coordinator's broker: its devices' events, and the downlinks queued for them.
 */
export type Role = (typeof ROLES)[number];

/** An authenticated MQTT user as the ACL sees it. */
export interface Principal {
  username: string;
  role: Role;
  /** Point id whose `noodsteun/point/<point>/#` subtree a `coordinator` user may use. */
  point?: string;
}

/** `read` = subscribe (and receive), `write` = publish (including the last will). */
export type Access = 'read' | 'write' | 'readwrite';

export interface AclRule {
  role: Role;
  access: Access;
  /** Topic filter; `%u` is replaced by the username, `%p` by the principal's point. */
  topic: string;
}

export const ACL_RULES: readonly AclRule[] = [
  { role: 'node', access: 'write', topic: `${TOPIC_ROOT}/node/%u/up` },
  { role: 'node', access: 'write', topic: `${TOPIC_ROOT}/node/%u/state` },
  { role: 'node', access: 'read', topic: `${TOPIC_ROOT}/node/%u/down` },
  { role: 'gateway', access: 'write', topic: `${TOPIC_ROOT}/node/+/down` },
  { role: 'gateway', access: 'read', topic: `${TOPIC_ROOT}/node/+/up` },
  { role: 'gateway', access: 'read', topic: `${TOPIC_ROOT}/node/+/state` },
  { role: 'coordinator', access: 'readwrite', topic: `${TOPIC_ROOT}/point/%p/#` },
  // On a coordinator's broker the service user ingests every point's status and answers it.
  { role: 'gateway', access: 'readwrite', topic: `${TOPIC_ROOT}/point/+/#` },
  // LoRaWAN: the network server publishes uplink (and join/ack) events and takes the coordinator's downAcks.
  { role: 'network-server', access: 'write', topic: 'application/+/device/+/event/+' },
  { role: 'network-server', access: 'read', topic: 'application/+/device/+/command/down' },
  { role: 'gateway', access: 'read', topic: 'application/+/device/+/event/up' },
  { role: 'gateway', access: 'write', topic: 'application/+/device/+/command/down' },
];

/** The gateway's service user. Non-node usernames start with `_`, which no node id can. */
export const GATEWAY_USERNAME = '_gateway';
export const coordinatorUsername = (point: string): string => `_point-${point}`;

/** Usernames go into topics (`%u`) and Mosquitto files: no `:`, whitespace, `/`, `+`, `#`. */
const SERVICE_USERNAME_RE = /^_[a-z0-9][a-z0-9_-]{0,39}$/;

/** Why a username/role pair is invalid, or null when it is fine. */
export function principalProblem(p: Principal): string | null {
  if (p.role === 'node') {
    return NodeIdSchema.safeParse(p.username).success ? null : `node username must be a node id: ${p.username}`;
  }
  if (!SERVICE_USERNAME_RE.test(p.username)) return `service username must match ${SERVICE_USERNAME_RE}: ${p.username}`;
  if (p.role === 'coordinator' && !(p.point && NodeIdSchema.safeParse(p.point).success)) {
    return `coordinator user ${p.username} needs a point id of a-z 0-9 -`;
  }
  return null;
}

/** The rule's topic with `%u`/`%p` filled in for this principal; null when the rule is not theirs. */
export function ruleTopicFor(rule: AclRule, p: Principal): string | null {
  if (rule.role !== p.role) return null;
  if (rule.topic.includes('%p') && !p.point) return null;
  return rule.topic.replaceAll('%u', p.username).replaceAll('%p', p.point ?? '');
}

const grants = (access: Access, want: 'read' | 'write') => access === 'readwrite' || access === want;

/** MQTT topic matching: does `filter` (may hold `+`/`#`) match the concrete `topic`? */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // [MQTT-4.7.2-1]: wildcards at the first level never match `$` topics.
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Does the ACL filter `granted` cover every topic the subscription filter `requested` can match? */
export function filterCovers(granted: string, requested: string): boolean {
  const g = granted.split('/');
  const r = requested.split('/');
  for (let i = 0; i < g.length; i++) {
    if (g[i] === '#') return true;
    if (i >= r.length) return false;
    if (r[i] === '#') return false;
    if (g[i] === '+') continue;
    if (r[i] !== g[i]) return false;
  }
  return g.length === r.length;
}

/** May this principal publish to `topic` (a concrete topic, no wildcards)? */
export function mayPublish(p: Principal, topic: string): boolean {
  return ACL_RULES.some((rule) => {
    const t = ruleTopicFor(rule, p);
    return t !== null && grants(rule.access, 'write') && topicMatches(t, topic);
  });
}

/** May this principal subscribe to `filter`? Every topic it could match must be readable. */
export function maySubscribe(p: Principal, filter: string): boolean {
  return ACL_RULES.some((rule) => {
    const t = ruleTopicFor(rule, p);
    return t !== null && grants(rule.access, 'read') && filterCovers(t, filter);
  });
}

/** May a message on `topic` be delivered to this principal? (Checked again at delivery, as Mosquitto does.) */
export function mayReceive(p: Principal, topic: string): boolean {
  return ACL_RULES.some((rule) => {
    const t = ruleTopicFor(rule, p);
    return t !== null && grants(rule.access, 'read') && topicMatches(t, topic);
  });
}
