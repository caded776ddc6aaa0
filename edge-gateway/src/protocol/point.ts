// Point ↔ coordinator messages over MQTT (the IP path; the LoRa relay carries a compact form of the
// same status). Topics live under noodsteun/point/<pointId>/ so a point's credentials can be confined there.
import { z } from 'zod';
import { NodeIdSchema, NodeKindSchema } from './messages.js';
import { TOPIC_ROOT } from './topics.js';

export const PointIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'point id: 1-32 of a-z 0-9 -');

const pctOrNull = z.number().min(0).max(100).nullable();

const count = z.number().int().min(0);
const HelpCategoryKey = z.string().regex(/^[a-z][a-z-]{0,15}$/);
const HelpCounts = z.object({ open: count, matched: count, done: count });

export const PointStatusSchema = z.object({
  v: z.literal(1),
  point: PointIdSchema,
  name: z.string().max(80),
  /** Increases with every status the point sends; the coordinator ignores older or repeated ones. */
  seq: z.number().int().min(0),
  ts: z.number().int().min(0),
  nodes: z
    .array(
      z.object({
        id: NodeIdSchema,
        kind: NodeKindSchema,
        online: z.boolean(),
        lastSeen: z.number().int().min(0).nullable(),
      }),
    )
    .max(64),
  fuel: z.object({ litres: z.number().nullable(), pct: pctOrNull, status: z.string().max(16) }).nullable(),
  battery: z.object({ v: z.number().nullable(), soc: pctOrNull, a: z.number().nullable() }).nullable(),
  visitors: z.object({ inside: z.number().int().min(0), entries: z.number().int().min(0) }).nullable(),
  charging: z.object({ portsOn: z.number().int().min(0), ports: z.number().int().min(0), watts: z.number().min(0).nullable() }).nullable(),
  alarms: z.array(z.string().max(48)).max(32),
  /** The charging module's evidence for the pilot, when the point runs it. */
  chargingStats: z
    .object({
      policy: z.enum(['budget', 'off']),
      stage: z.string().max(16),
      queue: z.number().int().min(0),
      sessionsToday: z.number().int().min(0),
      servedToday: z.number().int().min(0),
      energyWhToday: z.number().min(0),
      refusedNoPowerToday: z.number().int().min(0),
    })
    .optional(),
  /**
   * Citizen help in aggregate (help/aggregate.ts): per category of the needs report, offers and requests open,
   * matched (incl. in progress) and done, and the most needed categories. Optional: older points omit it.
   */
  help: z
    .object({
      requests: z.record(HelpCategoryKey, HelpCounts),
      offers: z.record(HelpCategoryKey, HelpCounts),
      mostNeeded: z.array(HelpCategoryKey).max(3),
    })
    .optional(),
  /** Where the point stands (its configuration), so the coordinator can list it in other points' directories. */
  location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
});
export type PointStatus = z.infer<typeof PointStatusSchema>;

/** coordinator → point: steering commands on the point's own subtree (only the coordinator's service user and the point may write there). */
export const PointCommandSchema = z.discriminatedUnion('op', [
  z.object({ v: z.literal(1), id: z.string().min(1).max(64), ts: z.number().int().min(0), op: z.literal('charging-policy'), policy: z.enum(['budget', 'off']) }),
]);
export type PointCommand = z.infer<typeof PointCommandSchema>;

export const pointTopics = {
  /** point → coordinator: the point's latest status (QoS 1). */
  status: (point: string) => `${TOPIC_ROOT}/point/${point}/status`,
  /** Retained availability of the point's link: `online` on connect, last will `offline`. */
  state: (point: string) => `${TOPIC_ROOT}/point/${point}/state`,
  /** coordinator → point: PointCommand (QoS 1). */
  command: (point: string) => `${TOPIC_ROOT}/point/${point}/cmd`,
  /** coordinator → point: signed board content (coordinator/signing). Group and all are sent per point. */
  board: (point: string) => `${TOPIC_ROOT}/point/${point}/board`,
  /** point → coordinator: accepted or why rejected, for each board message (BoardResultSchema). */
  boardResult: (point: string) => `${TOPIC_ROOT}/point/${point}/board/result`,
} as const;

export const POINT_STATUS_FILTER = `${TOPIC_ROOT}/point/+/status`;
export const POINT_STATE_FILTER = `${TOPIC_ROOT}/point/+/state`;

const POINT_TOPIC_RE = new RegExp(`^${TOPIC_ROOT}/point/([a-z0-9][a-z0-9-]{0,31})/(status|state)$`);
export function parsePointTopic(topic: string): { point: string; kind: 'status' | 'state' } | null {
  const m = POINT_TOPIC_RE.exec(topic);
  return m ? { point: m[1]!, kind: m[2] as 'status' | 'state' } : null;
}
