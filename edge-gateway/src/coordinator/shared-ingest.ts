// Two or more coordinator instances splitting the points' statuses between them with an MQTT
// shared subscription (`$share/<group>/noodsteun/point/+/status`): the broker hands each status to
// one instance of the group, so a second instance adds capacity and takes over when one stops.
// Link states (retained, small) are subscribed normally so every instance knows every link.
// Needs Mosquitto (external broker mode): aedes, the embedded broker, has no shared subscriptions.
// Each instance needs its own MQTT user of role `gateway`: Mosquitto runs with
// use_username_as_clientid, so two instances under one username would disconnect each other.
import { POINT_STATUS_FILTER } from '../protocol/index.js';
import { MqttPointIngest, type MqttPointIngestOptions } from './mqtt-ingest.js';

export const SHARE_GROUP_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const DEFAULT_SHARE_GROUP = 'coordinator';

export class ShareGroupError extends Error {
  override name = 'ShareGroupError';
}

export const sharedStatusFilter = (group: string): string => `$share/${group}/${POINT_STATUS_FILTER}`;

export interface SharedIngestOptions extends Omit<MqttPointIngestOptions, 'shareGroup' | 'clientId'> {
  group?: string;
  /** Distinguishes instances in logs and client ids, e.g. `a`, `b`. */
  instance: string;
}

export function createSharedPointIngest(o: SharedIngestOptions): MqttPointIngest {
  const group = o.group ?? DEFAULT_SHARE_GROUP;
  if (!SHARE_GROUP_RE.test(group)) throw new ShareGroupError(`share group must match ${SHARE_GROUP_RE}: ${group}`);
  return new MqttPointIngest({
    url: o.url,
    username: o.username,
    password: o.password,
    log: o.log,
    on: o.on,
    ...(o.maxPayloadBytes !== undefined ? { maxPayloadBytes: o.maxPayloadBytes } : {}),
    shareGroup: group,
    clientId: `${o.username}-ingest-${o.instance}`,
  });
}
