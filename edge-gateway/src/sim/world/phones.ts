// Residents' phones on the charging ports. A port relay is switched by the charger node (i.e. by the
// gateway); a phone draws only while its port is on and it is not full. Charge curve: constant power
// up to taperFrom, then linear taper to zero at full (the CV phase of Li-ion charging).
import type { Prng } from './prng.js';
import type { PhoneScenario } from './scenario.js';

export interface Phone {
  /** Battery level 0..1. */
  level: number;
  /** USB energy for a full 0→100 % charge (Wh). */
  fullWh: number;
  pluggedAt: number;
  leaveAt: number;
  receivedWh: number;
}

export interface PortState {
  p: number;
  relayOn: boolean;
  phone: Phone | null;
  /** Power drawn at the port in the last step (W, at 5 V). */
  drawW: number;
}

export interface ChargeSession {
  port: number;
  pluggedAt: number;
  unpluggedAt: number;
  receivedWh: number;
  startLevel: number;
  endLevel: number;
}

/** Level treated as full: the taper makes the last fraction of a percent take very long. */
const FULL = 0.995;

export class ChargingPorts {
  readonly ports: PortState[];
  sessions: ChargeSession[] = [];
  deliveredWh = 0;
  /** Residents who found every port occupied. */
  turnedAway = 0;
  private startLevels = new Map<Phone, number>();

  constructor(
    private readonly cfg: PhoneScenario,
    private readonly rng: Prng,
  ) {
    this.ports = Array.from({ length: cfg.ports }, (_, p) => ({ p, relayOn: false, phone: null, drawW: 0 }));
  }

  /** Charging power at the AC side (W), after the USB board's losses. */
  get inputW(): number {
    return this.ports.reduce((sum, port) => sum + port.drawW, 0) / this.cfg.boardEff;
  }

  drawFor(phone: Phone): number {
    if (phone.level >= FULL) return 0;
    const max = Math.min(this.cfg.maxDrawW, this.cfg.portMaxW);
    if (phone.level < this.cfg.taperFrom) return max;
    return (max * (1 - phone.level)) / (1 - this.cfg.taperFrom);
  }

  /** A resident plugs a phone into a free port; returns the port or null when all are taken. */
  plug(t: number, opts: Partial<Pick<Phone, 'level' | 'fullWh'>> & { port?: number; stayMin?: number } = {}): number | null {
    const port = opts.port !== undefined ? this.ports[opts.port] : this.ports.find((x) => x.phone === null);
    if (!port || port.phone) {
      this.turnedAway++;
      return null;
    }
    const [lo, hi] = this.cfg.leaveAfterMin;
    const phone: Phone = {
      level: opts.level ?? this.rng.uniform(this.cfg.arrivalLevel[0], this.cfg.arrivalLevel[1]),
      fullWh: opts.fullWh ?? this.rng.uniform(this.cfg.fullChargeWh[0], this.cfg.fullChargeWh[1]),
      pluggedAt: t,
      leaveAt: t + (opts.stayMin ?? this.rng.uniform(lo, hi)) * 60_000,
      receivedWh: 0,
    };
    this.startLevels.set(phone, phone.level);
    port.phone = phone;
    return port.p;
  }

  unplug(p: number, t: number): void {
    const port = this.ports[p];
    const phone = port?.phone;
    if (!port || !phone) return;
    this.sessions.push({
      port: p,
      pluggedAt: phone.pluggedAt,
      unpluggedAt: t,
      receivedWh: phone.receivedWh,
      startLevel: this.startLevels.get(phone) ?? phone.level,
      endLevel: phone.level,
    });
    this.startLevels.delete(phone);
    port.phone = null;
    port.drawW = 0;
  }

  step(t: number, dt: number): void {
    for (const port of this.ports) {
      const phone = port.phone;
      if (phone && phone.leaveAt <= t) {
        this.unplug(port.p, t);
        continue;
      }
      if (!phone || !port.relayOn) {
        port.drawW = 0;
        continue;
      }
      port.drawW = this.drawFor(phone);
      const wh = (port.drawW * dt) / 3600;
      phone.level = Math.min(1, phone.level + wh / phone.fullWh);
      if (phone.level >= FULL) phone.level = 1;
      phone.receivedWh += wh;
      this.deliveredWh += wh;
    }
  }
}
