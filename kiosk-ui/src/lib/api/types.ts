// The gateway's HTTP/WebSocket contract as the UI reads it. The gateway implements exactly these fields;
// a value the gateway does not know is null (never 0), and the UI shows it as "unknown".

export type Role = 'point' | 'coordinator';
export type NodeKind = 'fuel' | 'battery' | 'visitors' | 'charger' | 'vedirect';

/** Every JSON reply of the gateway. */
export type Envelope<T> = { status: 'ok'; data: T } | { status: 'error'; error: string };

export interface NodeInfo {
  id: string;
  kind: NodeKind;
  online: boolean;
  /** ms since the Unix epoch, null when never seen. */
  lastSeen: number | null;
  fw: string | null;
}

export type FuelSensorStatus = 'ok' | 'blind' | 'fault' | 'unplugged';

export interface FuelReading {
  litres: number | null;
  pct: number | null;
  status: FuelSensorStatus;
  refuelling: boolean;
}

export interface BatteryReading {
  v: number | null;
  a: number | null;
  soc: number | null;
  status: 'ok' | 'fault';
}

export interface VisitorsReading {
  entries: number;
  exits: number;
  inside: number;
}

export type PortFault = 'overcurrent' | 'stuck-on' | 'sensor';

export interface ChargerReading {
  ports: { p: number; on: boolean; mA: number | null; fault: PortFault | null }[];
  failsafe: boolean;
}

export interface Readings {
  fuel: FuelReading | null;
  battery: BatteryReading | null;
  visitors: VisitorsReading | null;
  charger: ChargerReading | null;
}

/** `GET /api/status` data, and `{type:'status'}` live messages. */
export interface StatusData {
  point: { id: string; name: string; role: Role };
  /** Gateway clock, ms since the Unix epoch (the UI measures "last seen" against it, not the browser clock). */
  time: number;
  nodes: NodeInfo[];
  readings: Readings;
  board: { image: string | null; updatedAt: number | null };
}

/** The status a point sends its coordinator (edge-gateway/src/protocol/point.ts `PointStatus`). */
export interface PointStatus {
  v: 1;
  point: string;
  name: string;
  seq: number;
  ts: number;
  nodes: { id: string; kind: NodeKind; online: boolean; lastSeen: number | null }[];
  fuel: { litres: number | null; pct: number | null; status: string } | null;
  battery: { v: number | null; soc: number | null; a: number | null } | null;
  visitors: { inside: number; entries: number } | null;
  charging: { portsOn: number; ports: number; watts: number | null } | null;
  alarms: string[];
}

export interface PointSummary {
  point: string;
  name: string;
  online: boolean;
  /** When the coordinator last received a status from this point (ms), null when never. */
  receivedAt: number | null;
  /** null until the first status arrives. */
  status: PointStatus | null;
}

/** `GET /api/points` data (coordinator role), and `{type:'points'}` live messages. */
export interface PointsData {
  points: PointSummary[];
}

/** Messages on the `/api/live` WebSocket. */
export type LiveMessage = { type: 'status'; data: StatusData } | { type: 'points'; data: PointsData };
