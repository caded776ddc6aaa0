// ChirpStack v4 MQTT integration, the JSON encoding of its events: topics and the uplink event the
// simulated network server publishes, and the downlink command it accepts. Field names follow the
// v4 integration events (camelCase; default-valued fields may be left out).

export const chirpstackTopics = {
  up: (applicationId: string, devEui: string): string => `application/${applicationId}/device/${devEui}/event/up`,
  join: (applicationId: string, devEui: string): string => `application/${applicationId}/device/${devEui}/event/join`,
  ack: (applicationId: string, devEui: string): string => `application/${applicationId}/device/${devEui}/event/ack`,
  down: (applicationId: string, devEui: string): string => `application/${applicationId}/device/${devEui}/command/down`,
  /** Subscription for every device's downlink commands. */
  allDown: (applicationId: string): string => `application/${applicationId}/device/+/command/down`,
};

export interface DeviceInfo {
  tenantId: string;
  tenantName: string;
  applicationId: string;
  applicationName: string;
  deviceProfileId: string;
  deviceProfileName: string;
  deviceName: string;
  devEui: string;
  deviceClassEnabled: 'CLASS_A';
  tags: Record<string, string>;
}

export interface UplinkRxInfo {
  gatewayId: string;
  uplinkId: number;
  rssi: number;
  snr: number;
  channel: number;
  crcStatus: 'CRC_OK';
}

export interface UplinkEvent {
  deduplicationId: string;
  time: string;
  deviceInfo: DeviceInfo;
  devAddr: string;
  adr: boolean;
  dr: number;
  fCnt: number;
  fPort: number;
  confirmed: boolean;
  /** FRMPayload, decrypted, base64. */
  data: string;
  rxInfo: UplinkRxInfo[];
  txInfo: {
    frequency: number;
    modulation: { lora: { bandwidth: number; spreadingFactor: number; codeRate: 'CR_4_5' } };
  };
}

export interface JoinEvent {
  deduplicationId: string;
  time: string;
  deviceInfo: DeviceInfo;
  devAddr: string;
}

/** Body of `…/command/down`. */
export interface DownlinkCommand {
  devEui: string;
  confirmed: boolean;
  fPort: number;
  /** base64 */
  data: string;
}

export class DownlinkCommandError extends Error {
  override name = 'DownlinkCommandError';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Validates a downlink command's JSON; throws DownlinkCommandError naming the bad field. */
export function parseDownlinkCommand(json: unknown): DownlinkCommand {
  if (typeof json !== 'object' || json === null) throw new DownlinkCommandError('downlink command must be a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.devEui !== 'string' || !/^[0-9a-fA-F]{16}$/.test(o.devEui)) throw new DownlinkCommandError('devEui must be 16 hex digits');
  if (typeof o.fPort !== 'number' || !Number.isInteger(o.fPort) || o.fPort < 1 || o.fPort > 223) throw new DownlinkCommandError('fPort must be 1–223');
  if (typeof o.data !== 'string' || !BASE64.test(o.data)) throw new DownlinkCommandError('data must be base64');
  if (o.confirmed !== undefined && typeof o.confirmed !== 'boolean') throw new DownlinkCommandError('confirmed must be a boolean');
  return { devEui: o.devEui.toLowerCase(), fPort: o.fPort, data: o.data, confirmed: o.confirmed === true };
}
