// `GET /api/charging/queue` (staff): contract edge-gateway/src/charging/service.ts StaffChargingView.
import type { SessionEnd, TicketState } from '../../../lib/api/charging.js';

export type PortState = 'free' | 'offered' | 'charging' | 'done' | 'fault' | 'disabled';

export interface StaffTicket {
  number: number;
  state: TicketState;
  port: number | null;
  takenAt: number;
  offeredAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  end: SessionEnd | null;
  until: number | null;
  waitedMs: number;
}

export interface StaffChargingView {
  /** The gateway's time of the view (a simulated gateway's clock runs fast; a device's may be off). */
  now: number;
  enabled: boolean;
  open: boolean;
  localOpen: boolean;
  policy: 'budget' | 'off';
  chargerOnline: boolean;
  stage: 'normal' | 'reduced' | 'off';
  portsAllowed: number;
  nowServing: number[];
  waiting: number;
  tickets: StaffTicket[];
  finished: StaffTicket[];
  ports: { p: number; state: PortState; number: number | null; since: number; until: number | null; fault: string | null; paused: boolean; mA: number | null; wh: number | null }[];
}
