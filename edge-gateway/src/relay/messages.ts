// What the relay carries from a point to its coordinator, whichever path it takes. The payloads are
// the LoRa codec's message bodies without their 6-bit id, so the IP path and the LoRa path carry the
// same content and the coordinator decodes both into one shape.
import { z } from 'zod';
import type { EmergencyMessage, HelpMessage, LoraMessage, NeedsMessage, SafeMessage, StatusMessage } from '../lora/codec/index.js';
import { PointIdSchema } from '../protocol/point.js';
import { TOPIC_ROOT } from '../protocol/topics.js';

export type EmergencyReport = Omit<EmergencyMessage, 'kind' | 'id' | 'ageMin'>;
export type NeedsReport = Omit<NeedsMessage, 'kind' | 'id'>;
export type SafeRegistration = Omit<SafeMessage, 'kind' | 'id'>;
export type StatusReport = Omit<StatusMessage, 'kind'>;
/** Citizen-help counts for a point whose only path is LoRa (relay/help-report.ts builds it from PointStatus.help). */
export type HelpReport = Omit<HelpMessage, 'kind'>;

export type RelayPayload =
  | { kind: 'emergency'; body: EmergencyReport }
  | { kind: 'needs'; body: NeedsReport }
  | { kind: 'safe'; body: SafeRegistration }
  | { kind: 'status'; body: StatusReport }
  | { kind: 'help'; body: HelpReport };
export type RelayKind = RelayPayload['kind'];

/** Lower sends first: an emergency overtakes everything, a status waits for the reports, help counts for the status. */
export const PRIORITY: Record<RelayKind, number> = { emergency: 0, safe: 1, needs: 1, status: 2, help: 3 };

/** Kinds applied exactly once by message id; a status and help counts are idempotent (the newest wins) and have none. */
export function hasSeq(kind: RelayKind): boolean {
  return kind !== 'status' && kind !== 'help';
}

/**
 * Unacknowledged messages with ids may span at most this many ids, so the coordinator can rebuild a
 * full id from the 6 bits LoRa carries (it picks the one within [highest seen − 31, highest seen + 32]).
 */
export const SEQ_WINDOW = 32;
/** Non-emergency traffic may only use this part of the window: the rest is kept for emergencies. */
export const SEQ_WINDOW_ROUTINE = 24;

/** The codec message for a payload; `ageMin` is how long the report has waited, in minutes. */
export function toLoraMessage(p: RelayPayload, seq: number | null, created: number, now: number): LoraMessage {
  const id = (seq ?? 0) & 63;
  switch (p.kind) {
    case 'emergency':
      return { kind: 'emergency', id, ...p.body, ageMin: Math.min(254, Math.max(0, Math.floor((now - created) / 60_000))) };
    case 'needs':
      return { kind: 'needs', id, ...p.body };
    case 'safe':
      return { kind: 'safe', id, ...p.body };
    case 'status':
      return { kind: 'status', ...p.body };
    case 'help':
      return { kind: 'help', ...p.body };
  }
}

/** The payload a decoded codec message carries (null for kinds the relay does not originate). */
export function fromLoraMessage(m: LoraMessage): RelayPayload | null {
  switch (m.kind) {
    case 'emergency': {
      const { kind: _k, id: _i, ageMin: _a, ...body } = m;
      return { kind: 'emergency', body };
    }
    case 'needs': {
      const { kind: _k, id: _i, ...body } = m;
      return { kind: 'needs', body };
    }
    case 'safe': {
      const { kind: _k, id: _i, ...body } = m;
      return { kind: 'safe', body };
    }
    case 'status': {
      const { kind: _k, ...body } = m;
      return { kind: 'status', body };
    }
    case 'help': {
      const { kind: _k, ...body } = m;
      return { kind: 'help', body };
    }
    default:
      return null;
  }
}

// ---- the IP path: noodsteun/point/<id>/msg (point → coordinator) and …/ack (coordinator → point) ----

export const relayTopics = {
  msg: (point: string) => `${TOPIC_ROOT}/point/${point}/msg`,
  ack: (point: string) => `${TOPIC_ROOT}/point/${point}/ack`,
} as const;
export const RELAY_MSG_FILTER = `${TOPIC_ROOT}/point/+/msg`;
const MSG_TOPIC_RE = new RegExp(`^${TOPIC_ROOT}/point/([a-z0-9][a-z0-9-]{0,31})/msg$`);
export function parseMsgTopic(topic: string): string | null {
  return MSG_TOPIC_RE.exec(topic)?.[1] ?? null;
}

/** One relayed message on the IP path; the body is checked by encoding it with the codec. */
export const IpMessageSchema = z.object({
  v: z.literal(1),
  point: PointIdSchema,
  /** Outbox row id: what the ack names. */
  ref: z.number().int().min(1),
  /** Apply-once id (emergency, needs, safe); null for a status. */
  seq: z.number().int().min(0).nullable(),
  kind: z.enum(['emergency', 'needs', 'safe', 'status']),
  created: z.number().int().min(0),
  body: z.record(z.string(), z.unknown()),
});
export type IpMessage = z.infer<typeof IpMessageSchema>;

export const IpAckSchema = z.object({ v: z.literal(1), refs: z.array(z.number().int().min(1)).max(1000) });
export type IpAck = z.infer<typeof IpAckSchema>;
