// Phone-charging service of a point: ports, the number queue and the power budget. Driven by the bus
// (charger readings, command results, node availability) and an injected Clock; it switches ports only
// through the injected `sendCommand`, and persists queue and ports through an injected ChargingPersistence.
// The constructor does nothing: start() restores and subscribes, stop() unsubscribes.
import { createHash, randomBytes } from 'node:crypto';
import type { PowerSystem } from '../../../hardware/src/power-model.js';
import type { EventBus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import type { GatewayEvents } from '../core/events.js';
import type { Logger } from '../log/logger.js';
import { errorMessage, silentLogger } from '../log/logger.js';
import type { ChargerBody, CommandBody } from '../protocol/index.js';
import type { ChargingConfig, ChargingPolicy } from './config.js';
import { detect, newDetector } from './detector.js';
import type { HourEvidence } from './evidence.js';
import { hourlyEvidence } from './evidence.js';
import type { ActivePort, ShedStage } from './policy.js';
import { SERVED_WH, SHED_STAGES, STAGE_CLIMB_HOLD_MS, batteryAllows, portsAllowed, resumeOrder, shedOrder, shedStage, withinLimit } from './policy.js';
import type { PowerInputs, PowerView } from './power.js';
import { powerView } from './power.js';
import type { ChargingAlert, ChargingPersistence, ChargingRecord, ChargingSnapshot, PortFault, PortRecord, RefusalReason, SessionEnd, Ticket } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
/** USB bus voltage: port current × this = power at the port. */
const USB_V = 5;
/** A gap between readings longer than this is not integrated (the node was silent; we do not guess). */
const MAX_INTEGRATION_GAP_MS = 5 * MIN;
/** Finished tickets kept in the snapshot so residents can still read their result. */
const KEEP_FINISHED_MS = 6 * HOUR;
const SAVE_EVERY_MS = 5 * MIN;
const FORGET_EVERY_MS = 10 * MIN;

export type PortCommand = Extract<CommandBody, { op: 'port' }>;

export interface ChargingServiceOptions {
  config: ChargingConfig;
  bus: EventBus<GatewayEvents>;
  clock: Clock;
  /** Sends a port command to a node; false when it could not be sent (it is retried on the next tick). */
  sendCommand: (node: string, cmd: PortCommand) => boolean;
  persistence: ChargingPersistence;
  /** The point's power system (hardware/src/power-model.ts) and a reader of its measured state. */
  power: { system: PowerSystem; inputs: () => PowerInputs };
  /** Technician alerts (faulty port, charger offline); also logged. */
  onAlert?: (a: ChargingAlert) => void;
  log?: Logger;
}

export type TakeResult = { ok: true; number: number; token: string; position: number } | { ok: false; reason: RefusalReason };

export interface TicketStatus {
  number: number;
  state: Ticket['state'];
  /** Numbers ahead in the queue (waiting only). */
  ahead: number | null;
  port: number | null;
  /** Offer: ms left to plug in. Charging: ms of charging left in the time box. Ended: ms left to collect. */
  msLeft: number | null;
  paused: boolean;
  wh: number;
  end: SessionEnd | null;
}

export interface BoardSummary {
  enabled: boolean;
  chargerOnline: boolean;
  stage: ShedStage;
  freePorts: number;
  queueLength: number;
  /** Numbers currently offered a port, lowest first ("now serving"). */
  nowServing: number[];
}

/** A number as staff see it: no token, no holder. */
export interface StaffTicket {
  number: number;
  state: Ticket['state'];
  port: number | null;
  takenAt: number;
  offeredAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  end: SessionEnd | null;
  /** Offer expiry or end of the collection time, when this number holds the port. */
  until: number | null;
  /** Taken → started charging (or ended, or now). */
  waitedMs: number;
}

export interface StaffChargingView {
  /** The gateway's time (ms) the view is of: `until` and the others count from it, not from the reader's clock. */
  now: number;
  /** The module is configured on. */
  enabled: boolean;
  /** Charging runs: coordinator policy and the staff switch both allow it. */
  open: boolean;
  localOpen: boolean;
  policy: ChargingPolicy;
  chargerOnline: boolean;
  stage: ShedStage;
  portsAllowed: number;
  nowServing: number[];
  waiting: number;
  /** Waiting, offered and charging numbers, lowest first. */
  tickets: StaffTicket[];
  /** The 20 most recently finished (ended, missed, cancelled), newest first. */
  finished: StaffTicket[];
  ports: { p: number; state: PortRecord['state']; number: number | null; since: number; until: number | null; fault: PortFault | null; paused: boolean; mA: number | null; wh: number | null }[];
}

export interface ChargingStatus extends BoardSummary {
  policy: ChargingPolicy;
  portsAllowed: number;
  active: number;
  power: PowerView | null;
  ports: { p: number; state: PortRecord['state']; number: number | null; fault: PortFault | null; paused: boolean; mA: number | null; wh: number | null }[];
  lastHour: HourEvidence | null;
  today: { sessions: number; served: number; energyWh: number; refusedNoPower: number };
}

export class ChargingService {
  private readonly log: Logger;
  private readonly offs: Array<() => void> = [];
  private ports: PortRecord[] = [];
  private tickets = new Map<number, Ticket>();
  private byToken = new Map<string, number>();
  private holderStarts: Record<string, number[]> = {};
  private nextNumber = 1;
  private stage: ShedStage = 'off';
  /** The stage is below normal because power dropped it (not start-up, not closed): climbs must hold first. */
  private shedByPower = false;
  /** Since when a higher stage than the current one has been wanted without a break. */
  private climbWantedSince: number | null = null;
  private policy: ChargingPolicy;
  /** Staff's own switch at the point; charging runs only when it and the coordinator's policy both allow. */
  private localOpen = true;
  /** Ports the power budget allows (before faulty or disabled ports are taken out). */
  private budgetPorts = 0;
  private onBattery = false;
  private lastPower: PowerView | null = null;
  private chargerOnline = false;
  private started = false;
  /** Something other than energy counters changed since the last save. */
  private dirty = true;
  private savedAt = -Infinity;
  private forgotAt = -Infinity;

  constructor(private readonly opts: ChargingServiceOptions) {
    this.log = opts.log ?? silentLogger;
    this.policy = opts.config.policy;
  }

  get config(): ChargingConfig {
    return this.opts.config;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.restore();
    const { bus, clock, config } = this.opts;
    this.offs.push(
      bus.on('reading', ({ msg, receivedAt }) => {
        if (msg.type !== 'charger' || msg.node !== config.node) return;
        this.onReading(msg.body, receivedAt);
      }),
      bus.on('result', ({ msg }) => {
        if (msg.node !== config.node || msg.body.ok) return;
        // The node refused a command: the next reading shows the relay's real state and the tick resends.
        this.log.warn('charger refused a command', { cmd: msg.body.cmd, error: msg.body.error ?? null });
      }),
      bus.on('availability', (a) => {
        if (a.node !== config.node) return;
        if (a.online) this.onChargerBack();
        else this.onChargerLost();
      }),
      clock.setInterval(() => this.tick(), config.tickS * 1000),
    );
    this.tick();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.started) this.save(true);
    this.started = false;
  }

  // --- residents ---

  /** A resident takes a number (kiosk or phone). `holder` is an opaque id (card, cookie) used only for the limit. */
  takeNumber(opts: { holder?: string } = {}): TakeResult {
    const now = this.opts.clock.now();
    const cfg = this.opts.config;
    const refuse = (reason: RefusalReason): TakeResult => {
      this.record({ kind: 'refused', at: now, reason });
      return { ok: false, reason };
    };
    if (!cfg.enabled || !this.open) return refuse('off');
    if (this.stage === 'off') return refuse('no-power');
    const waiting = this.waiting();
    if (waiting.length >= cfg.maxQueue) return refuse('queue-full');
    const holder = opts.holder ? createHash('sha256').update(opts.holder).digest('hex').slice(0, 24) : null;
    if (holder) {
      const open = [...this.tickets.values()].some((t) => t.holder === holder && (t.state === 'waiting' || t.state === 'offered' || t.state === 'charging'));
      if (open || !withinLimit(this.holderStarts[holder] ?? [], now, cfg.perNumberLimit)) return refuse('limit');
      (this.holderStarts[holder] ??= []).push(now);
    }
    const ticket: Ticket = { number: this.nextNumber++, token: randomBytes(9).toString('base64url'), holder, takenAt: now, state: 'waiting', port: null, offeredAt: null, startedAt: null, endedAt: null, end: null, wh: 0 };
    this.tickets.set(ticket.number, ticket);
    this.byToken.set(ticket.token, ticket.number);
    this.record({ kind: 'taken', at: now, number: ticket.number });
    this.rebalance(now);
    this.save();
    return { ok: true, number: ticket.number, token: ticket.token, position: this.position(ticket) ?? 0 };
  }

  /** "Your number / your port / time left" for the resident holding `token`; null for an unknown token. */
  ticketStatus(token: string): TicketStatus | null {
    const n = this.byToken.get(token);
    const t = n !== undefined ? this.tickets.get(n) : undefined;
    if (!t) return null;
    const now = this.opts.clock.now();
    const port = t.port !== null ? this.ports[t.port] : undefined;
    let msLeft: number | null = null;
    let paused = false;
    let wh = t.wh;
    if (t.state === 'offered' && port?.until != null) msLeft = Math.max(0, port.until - now);
    if (t.state === 'charging' && port?.session) {
      msLeft = Math.max(0, this.opts.config.sessionMinutes * MIN - port.session.activeMs);
      paused = port.session.paused;
      wh = port.session.wh;
    }
    if (t.state === 'ended' && port?.state === 'done' && port.number === t.number && port.until !== null) msLeft = Math.max(0, port.until - now);
    return { number: t.number, state: t.state, ahead: this.position(t), port: t.port, msLeft, paused, wh: Math.round(wh * 100) / 100, end: t.end };
  }

  /** The resident gives up their number. */
  cancel(token: string): boolean {
    const n = this.byToken.get(token);
    const t = n !== undefined ? this.tickets.get(n) : undefined;
    if (!t || (t.state !== 'waiting' && t.state !== 'offered')) return false;
    const now = this.opts.clock.now();
    if (t.state === 'offered' && t.port !== null) {
      const p = this.ports[t.port];
      if (p) this.freePort(p, now);
    }
    t.state = 'cancelled';
    t.endedAt = now;
    this.record({ kind: 'cancelled', at: now, number: t.number });
    this.rebalance(now);
    this.save();
    return true;
  }

  // --- board, coordinator, technician ---

  board(): BoardSummary {
    const cfg = this.opts.config;
    const offered = this.ports.filter((p) => p.state === 'offered').map((p) => p.number ?? 0);
    const usable = this.chargerOnline && cfg.enabled && this.open;
    return {
      enabled: cfg.enabled && this.open,
      chargerOnline: this.chargerOnline,
      stage: this.stage,
      freePorts: usable ? Math.max(0, Math.min(this.ports.filter((p) => p.state === 'free').length, this.allowed - this.activeCount())) : 0,
      queueLength: this.waiting().length,
      nowServing: offered.sort((a, b) => a - b),
    };
  }

  /** For the point's status to the coordinator. */
  status(): ChargingStatus {
    const now = this.opts.clock.now();
    const dayStart = Math.floor(now / (24 * HOUR)) * 24 * HOUR;
    const hours = this.evidence(dayStart, now + 1);
    const lastHourStart = Math.floor(now / HOUR) * HOUR - HOUR;
    const today = hours.reduce((a, h) => ({ sessions: a.sessions + h.sessionsEnded, served: a.served + h.served, energyWh: a.energyWh + h.energyWh, refusedNoPower: a.refusedNoPower + h.refusedNoPower }), { sessions: 0, served: 0, energyWh: 0, refusedNoPower: 0 });
    today.energyWh = Math.round(today.energyWh * 100) / 100;
    return {
      ...this.board(),
      policy: this.policy,
      portsAllowed: this.allowed,
      active: this.activeCount(),
      power: this.lastPower,
      ports: this.ports.map((p) => ({ p: p.p, state: p.state, number: p.number, fault: p.fault, paused: p.session?.paused ?? false, mA: p.reported?.mA ?? null, wh: p.session ? Math.round(p.session.wh * 100) / 100 : null })),
      lastHour: hours.find((h) => h.hour === lastHourStart) ?? null,
      today,
    };
  }

  /** Hourly evidence between two times (for the pilot export and the coordinator). */
  evidence(from: number, to: number): HourEvidence[] {
    return hourlyEvidence(this.opts.persistence.records(from, to));
  }

  /**
   * Coordinator switch: 'off' ends charging at this point — offers go back to the queue, running and paused
   * sessions end ('stopped') so residents collect their phones; the queue is kept for when it is switched back.
   */
  setPolicy(policy: ChargingPolicy): void {
    if (policy === this.policy) return;
    this.log.info('charging policy changed', { from: this.policy, to: policy });
    this.policy = policy;
    if (policy === 'off') this.stopAll(this.opts.clock.now());
    this.tick();
  }

  // --- staff at the point ---

  /** Whether charging runs here: the coordinator's policy and the staff's own switch both allow it. */
  private get open(): boolean {
    return this.policy !== 'off' && this.localOpen;
  }

  /**
   * Staff open or close charging at this point (e.g. at night, or the room is needed). Closing works as the
   * coordinator's 'off': new numbers are refused, offers go back to the queue, sessions end ('stopped') so
   * residents collect their phones; the queue is kept for the reopening. The coordinator's 'off' still wins.
   */
  setLocalOpen(open: boolean): void {
    if (open === this.localOpen) return;
    this.log.info(open ? 'charging opened by staff' : 'charging closed by staff');
    this.localOpen = open;
    this.dirty = true;
    if (!open) this.stopAll(this.opts.clock.now());
    this.tick();
  }

  /** What staff see of the queue: numbers, states and ports only (no tokens, no holder ids). */
  staffView(): StaffChargingView {
    const now = this.opts.clock.now();
    const s = this.status();
    const view = (t: Ticket): StaffTicket => {
      const port = t.port !== null ? this.ports[t.port] : undefined;
      const until = port && port.number === t.number && (t.state === 'offered' || t.state === 'ended') ? port.until : null;
      return { number: t.number, state: t.state, port: t.port, takenAt: t.takenAt, offeredAt: t.offeredAt, startedAt: t.startedAt, endedAt: t.endedAt, end: t.end, until, waitedMs: (t.startedAt ?? t.endedAt ?? now) - t.takenAt };
    };
    const all = [...this.tickets.values()].sort((a, b) => a.number - b.number);
    const open = all.filter((t) => t.state === 'waiting' || t.state === 'offered' || t.state === 'charging');
    const finished = all.filter((t) => !open.includes(t)).sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0)).slice(0, 20);
    return {
      now,
      enabled: this.opts.config.enabled,
      open: this.open,
      localOpen: this.localOpen,
      policy: this.policy,
      chargerOnline: this.chargerOnline,
      stage: this.stage,
      portsAllowed: this.allowed,
      nowServing: s.nowServing,
      waiting: s.queueLength,
      tickets: open.map(view),
      finished: finished.map(view),
      ports: this.ports.map((p) => ({ p: p.p, state: p.state, number: p.number, since: p.since, until: p.until, fault: p.fault, paused: p.session?.paused ?? false, mA: p.reported?.mA ?? null, wh: p.session ? Math.round(p.session.wh * 100) / 100 : null })),
    };
  }

  /** Staff: the resident of an offered number did not come; it is marked missed and the port goes to the next number. */
  skip(number: number): boolean {
    const t = this.tickets.get(number);
    if (!t || t.state !== 'offered' || t.port === null) return false;
    const now = this.opts.clock.now();
    const port = this.ports[t.port];
    t.state = 'missed';
    t.endedAt = now;
    this.record({ kind: 'missed', at: now, number: t.number, port: t.port });
    if (port && port.number === t.number) this.freePort(port, now);
    this.rebalance(now);
    this.save();
    return true;
  }

  /** Staff: a missed number turns up late; it goes back in the queue, in its number's place (lowest first). */
  reoffer(number: number): boolean {
    const t = this.tickets.get(number);
    if (!t || t.state !== 'missed') return false;
    const now = this.opts.clock.now();
    t.state = 'waiting';
    t.port = null;
    t.endedAt = null;
    // no evidence row: the 'missed' stays counted, and the offer that follows is recorded as usual
    this.dirty = true;
    this.rebalance(now);
    this.save();
    return true;
  }

  /**
   * Staff hand a phone back: a charging session ends ('stopped') and a port waiting for collection is freed
   * now, so the next number gets it without waiting for the collection time.
   */
  releasePort(p: number): boolean {
    const port = this.ports[p];
    if (!port || (port.state !== 'charging' && port.state !== 'done')) return false;
    const now = this.opts.clock.now();
    if (port.session) this.endSession(port, 'stopped', now);
    if (port.state === 'done') this.freePort(port, now);
    this.rebalance(now);
    this.save();
    return true;
  }

  /** Offers go back to the queue, sessions end so residents collect their phones. */
  private stopAll(now: number): void {
    for (const port of this.ports) {
      if (port.state === 'offered') this.withdrawOffer(port, now);
      else if (port.session) this.endSession(port, 'stopped', now);
    }
  }

  /** Compact figures for the point's status to the coordinator (merge into the status message's `charging`). */
  coordinatorSummary(): { policy: ChargingPolicy; stage: ShedStage; portsAllowed: number; active: number; queue: number; sessionsToday: number; servedToday: number; energyWhToday: number; refusedNoPowerToday: number; waitP50MinLastHour: number | null } {
    const s = this.status();
    return {
      policy: s.policy,
      stage: s.stage,
      portsAllowed: s.portsAllowed,
      active: s.active,
      queue: s.queueLength,
      sessionsToday: s.today.sessions,
      servedToday: s.today.served,
      energyWhToday: s.today.energyWh,
      refusedNoPowerToday: s.today.refusedNoPower,
      waitP50MinLastHour: s.lastHour?.waitP50Min ?? null,
    };
  }

  /** Technician: takes a port out of service (a session on it ends). */
  disablePort(p: number): boolean {
    const port = this.ports[p];
    if (!port) return false;
    const now = this.opts.clock.now();
    if (port.session) this.endSession(port, 'disabled', now);
    else if (port.state === 'offered') this.withdrawOffer(port, now);
    this.setState(port, 'disabled', now);
    port.until = null;
    this.want(port, false, now);
    this.rebalance(now);
    this.save();
    return true;
  }

  /** Technician: returns a disabled or faulty port to service after checking it. */
  enablePort(p: number): boolean {
    const port = this.ports[p];
    if (!port || (port.state !== 'disabled' && port.state !== 'fault')) return false;
    const now = this.opts.clock.now();
    port.fault = null;
    this.freePort(port, now);
    this.rebalance(now);
    this.save();
    return true;
  }

  /** Re-evaluates power, timeouts and offers now (also runs every tickS). */
  tick(): void {
    const now = this.opts.clock.now();
    try {
      this.updateBudget(now);
      this.expire(now);
      this.rebalance(now);
      this.resend(now);
      if (now - this.forgotAt >= FORGET_EVERY_MS) {
        this.forgotAt = now;
        this.forgetOld(now);
      }
      this.save();
    } catch (err) {
      this.log.error('charging tick failed', { error: errorMessage(err) });
    }
  }

  // --- internals: power ---

  private updateBudget(now: number): void {
    const cfg = this.opts.config;
    let inputs: PowerInputs;
    try {
      inputs = this.opts.power.inputs();
    } catch (err) {
      this.log.warn('power inputs unreadable: charging off', { error: errorMessage(err) });
      inputs = { generatorRunning: null, fuelL: null, soc: null };
    }
    this.onBattery = batteryAllows(inputs.soc, cfg.batteryMinSoc, this.onBattery);
    const view = powerView(this.opts.power.system, inputs, cfg, this.onBattery);
    this.lastPower = view;
    const prevStage = this.stage;
    this.stage = this.nextStage(cfg.enabled && this.open ? shedStage(view.hoursLeft, cfg, prevStage) : null, now);
    const allowed = portsAllowed(view.availableW, this.stage, cfg);
    if (allowed !== this.budgetPorts || this.stage !== prevStage) {
      this.log.info('charging budget', { stage: this.stage, allowed, availableW: Math.round(view.availableW), hoursLeft: view.hoursLeft === null ? null : Math.round(view.hoursLeft * 10) / 10, limitedBy: view.limitedBy });
      this.record({ kind: 'stage', at: now, stage: this.stage, allowed });
    }
    this.budgetPorts = allowed;
  }

  /** The stage to be in, given the one power wants (null: closed by staff or policy). Drops at once; climbs after a power drop only once held. */
  private nextStage(wanted: ShedStage | null, now: number): ShedStage {
    const prev = this.stage;
    if (wanted === null) {
      this.shedByPower = false;
      this.climbWantedSince = null;
      return 'off';
    }
    const climb = SHED_STAGES.indexOf(wanted) < SHED_STAGES.indexOf(prev);
    if (!climb) {
      this.climbWantedSince = null;
      if (wanted !== prev) this.shedByPower = true;
      return wanted;
    }
    if (this.shedByPower) {
      this.climbWantedSince ??= now;
      if (now - this.climbWantedSince < STAGE_CLIMB_HOLD_MS) return prev;
    }
    this.climbWantedSince = null;
    this.shedByPower = wanted !== 'normal';
    return wanted;
  }

  /** Ports that may be active now: the power budget, capped by the ports in service; none while the charger is silent. */
  private get allowed(): number {
    if (!this.chargerOnline) return 0;
    const usable = this.ports.filter((p) => p.state !== 'fault' && p.state !== 'disabled').length;
    return Math.min(this.budgetPorts, usable);
  }

  private activeCount(): number {
    return this.ports.filter((p) => p.state === 'offered' || (p.state === 'charging' && p.session && !p.session.paused)).length;
  }

  /** Brings the active ports to the budget: shed in policy order, or resume paused sessions, then offer. */
  private rebalance(now: number): void {
    if (!this.chargerOnline) return;
    const active: ActivePort[] = [];
    for (const p of this.ports) {
      if (p.state === 'offered') active.push({ port: p.p, kind: 'offered', wh: 0, since: p.since });
      else if (p.state === 'charging' && p.session && !p.session.paused) active.push({ port: p.p, kind: 'charging', wh: p.session.wh, since: p.session.startedAt });
    }
    let excess = active.length - this.allowed;
    for (const portNo of shedOrder(active)) {
      if (excess <= 0) break;
      const port = this.ports[portNo];
      if (!port) continue;
      if (port.state === 'offered') this.withdrawOffer(port, now);
      else this.pause(port, now);
      excess--;
    }
    let room = this.allowed - this.activeCount();
    if (room <= 0) return;
    const paused = this.ports.filter((p) => p.state === 'charging' && p.session?.paused).map((p) => ({ port: p.p, wh: p.session?.wh ?? 0, since: p.session?.pausedAt ?? p.since }));
    for (const portNo of resumeOrder(paused)) {
      if (room <= 0) return;
      const port = this.ports[portNo];
      if (port?.session) {
        port.session.paused = false;
        port.session.pausedAt = null;
        port.session.lastMa = null;
        port.session.lastAt = null;
        this.want(port, true, now);
        this.record({ kind: 'resumed', at: now, number: port.session.number, port: port.p });
        room--;
      }
    }
    const queue = this.waiting();
    for (const port of this.ports) {
      if (room <= 0) return;
      if (port.state !== 'free') continue;
      const next = queue.shift();
      if (!next) return;
      this.offer(port, next, now);
      room--;
    }
  }

  // --- internals: queue and sessions ---

  private waiting(): Ticket[] {
    return [...this.tickets.values()].filter((t) => t.state === 'waiting').sort((a, b) => a.number - b.number);
  }

  private position(t: Ticket): number | null {
    if (t.state !== 'waiting') return null;
    return this.waiting().findIndex((w) => w.number === t.number);
  }

  private offer(port: PortRecord, t: Ticket, now: number): void {
    t.state = 'offered';
    t.port = port.p;
    t.offeredAt ??= now;
    port.number = t.number;
    port.until = now + this.opts.config.offerMinutes * MIN;
    port.session = null;
    this.setState(port, 'offered', now);
    this.record({ kind: 'offered', at: now, number: t.number, port: port.p });
    // The relay goes on with the offer: the phone starts drawing when plugged, which is how we see it.
    this.want(port, true, now);
  }

  /** The offer is taken back (power, charger offline); the number keeps its place at the head of the queue. */
  private withdrawOffer(port: PortRecord, now: number): void {
    const t = port.number !== null ? this.tickets.get(port.number) : undefined;
    if (t && t.state === 'offered') {
      t.state = 'waiting';
      t.port = null;
      this.record({ kind: 'withdrawn', at: now, number: t.number, port: port.p });
    }
    this.freePort(port, now);
  }

  private freePort(port: PortRecord, now: number): void {
    port.number = null;
    port.until = null;
    port.session = null;
    this.setState(port, 'free', now);
    this.want(port, false, now);
  }

  private pause(port: PortRecord, now: number): void {
    if (!port.session || port.session.paused) return;
    port.session.paused = true;
    port.session.pausedAt = now;
    port.session.lastMa = null;
    port.session.lastAt = null;
    this.want(port, false, now);
    this.record({ kind: 'paused', at: now, number: port.session.number, port: port.p, wh: Math.round(port.session.wh * 1000) / 1000 });
  }

  private startSession(port: PortRecord, now: number): void {
    const t = port.number !== null ? this.tickets.get(port.number) : undefined;
    if (!t) return;
    t.state = 'charging';
    t.startedAt = now;
    port.until = null;
    port.session = { number: t.number, startedAt: now, activeMs: 0, wh: 0, paused: false, pausedAt: null, lastMa: null, lastAt: null, detector: newDetector() };
    this.setState(port, 'charging', now);
    this.record({ kind: 'started', at: now, number: t.number, port: port.p, waitMs: now - t.takenAt });
  }

  private endSession(port: PortRecord, end: SessionEnd, now: number): void {
    const s = port.session;
    if (!s) return;
    const t = this.tickets.get(s.number);
    const served = s.wh >= SERVED_WH || end === 'full';
    if (t) {
      t.state = 'ended';
      t.end = end;
      t.endedAt = now;
      t.wh = s.wh;
    }
    this.record({ kind: 'ended', at: now, number: s.number, port: port.p, wh: Math.round(s.wh * 1000) / 1000, activeMs: s.activeMs, end, served });
    port.session = null;
    port.lastEnd = end;
    this.want(port, false, now);
    if (end === 'unplugged') {
      this.freePort(port, now);
    } else if (end === 'fault' || end === 'disabled') {
      port.number = null;
    } else {
      port.until = now + this.opts.config.collectMinutes * MIN;
      this.setState(port, 'done', now);
    }
  }

  private expire(now: number): void {
    const cfg = this.opts.config;
    for (const port of this.ports) {
      if (port.state === 'offered' && port.until !== null && now >= port.until) {
        const t = port.number !== null ? this.tickets.get(port.number) : undefined;
        if (t) {
          t.state = 'missed';
          t.endedAt = now;
          this.record({ kind: 'missed', at: now, number: t.number, port: port.p });
        }
        this.freePort(port, now);
      } else if (port.state === 'charging' && port.session && !port.session.paused) {
        if (port.session.activeMs >= cfg.sessionMinutes * MIN) this.endSession(port, 'timeout', now);
      } else if (port.state === 'done' && port.until !== null && now >= port.until) {
        this.freePort(port, now);
      }
    }
  }

  private forgetOld(now: number): void {
    for (const [n, t] of this.tickets) {
      const final = t.state === 'ended' || t.state === 'missed' || t.state === 'cancelled';
      if (final && t.endedAt !== null && now - t.endedAt > KEEP_FINISHED_MS) {
        this.tickets.delete(n);
        this.byToken.delete(t.token);
      }
    }
    const from = now - this.opts.config.perNumberLimit.periodHours * HOUR;
    for (const [h, starts] of Object.entries(this.holderStarts)) {
      const kept = starts.filter((s) => s > from);
      if (kept.length) this.holderStarts[h] = kept;
      else delete this.holderStarts[h];
    }
  }

  // --- internals: the charger node ---

  private onReading(body: ChargerBody, at: number): void {
    if (!this.chargerOnline) this.onChargerBack();
    const det = this.opts.config.detection;
    for (const r of body.ports) {
      const port = this.ports[r.p];
      if (!port) continue;
      port.reported = { on: r.on, mA: r.mA, at };
      if (port.state === 'disabled') continue;
      if (port.state === 'fault') continue;
      const fault = this.faultOf(port, r, at);
      if (fault) {
        this.fault(port, fault.fault, fault.detail, at);
        continue;
      }
      if (r.mA === null || !r.on) continue;
      if (port.state === 'offered' && r.mA > det.idleMa) this.startSession(port, at);
      const s = port.session;
      if (port.state !== 'charging' || !s || s.paused) continue;
      if (s.lastAt !== null && s.lastMa !== null && at > s.lastAt) {
        const dt = at - s.lastAt;
        if (dt <= MAX_INTEGRATION_GAP_MS) {
          s.wh += (((s.lastMa + r.mA) / 2 / 1000) * USB_V * dt) / HOUR;
          s.activeMs += dt;
        }
      }
      s.lastMa = r.mA;
      s.lastAt = at;
      const d = detect(s.detector, r.mA, det);
      if (d === 'full' || d === 'unplugged') this.endSession(port, d, at);
    }
    if (this.roomForQueue()) this.rebalance(at);
    this.save();
  }

  /** Ports freed by sessions ending can be offered right away. */
  private roomForQueue(): boolean {
    return this.activeCount() < this.allowed && this.waiting().length > 0;
  }

  private faultOf(port: PortRecord, r: ChargerBody['ports'][number], at: number): { fault: PortFault; detail: string } | null {
    const det = this.opts.config.detection;
    if (r.fault) return { fault: r.fault, detail: `reported by the charger node` };
    if (r.mA !== null && r.mA > det.overcurrentMa) return { fault: 'overcurrent', detail: `${r.mA} mA > ${det.overcurrentMa} mA` };
    if (!r.on && r.mA !== null && r.mA > det.idleMa) return { fault: 'sensor', detail: `relay reported off but ${r.mA} mA flows` };
    const offFor = at - port.wantSince;
    if (!port.want && r.on && offFor >= det.stuckOnS * 1000) {
      return { fault: 'stuck-on', detail: `relay still on (${r.mA ?? '?'} mA) ${Math.round(offFor / 1000)} s after switching off` };
    }
    if (r.on && r.mA === null) return { fault: 'sensor', detail: 'relay on but no current reading' };
    return null;
  }

  private fault(port: PortRecord, fault: PortFault, detail: string, at: number): void {
    if (port.session) this.endSession(port, 'fault', at);
    else if (port.state === 'offered') this.withdrawOffer(port, at);
    port.fault = fault;
    port.until = null;
    port.number = null;
    this.setState(port, 'fault', at);
    this.want(port, false, at);
    this.record({ kind: 'fault', at, port: port.p, fault });
    this.alert({ at, port: port.p, fault, detail });
    this.rebalance(at);
  }

  private onChargerLost(): void {
    if (!this.chargerOnline) return;
    const now = this.opts.clock.now();
    this.chargerOnline = false;
    // The node switches every port off by itself after its failsafe delay; until we hear from it again we
    // offer nothing and count no time against anyone: sessions pause, offers go back to the queue.
    for (const port of this.ports) {
      if (port.state === 'offered') this.withdrawOffer(port, now);
      else if (port.session && !port.session.paused) this.pause(port, now);
    }
    this.alert({ at: now, port: -1, fault: 'charger-offline', detail: `charger node ${this.opts.config.node} is silent: charging paused` });
    this.save();
  }

  private onChargerBack(): void {
    if (this.chargerOnline) return;
    const now = this.opts.clock.now();
    this.chargerOnline = true;
    this.log.info('charger node online', { node: this.opts.config.node });
    // Re-assert every relay: after a reboot or failsafe the node's view may differ from ours. Not a disabled
    // port: the technician may be testing it (a rebooted node starts with every port off anyway).
    for (const port of this.ports) {
      if (port.state === 'disabled') continue;
      port.sentAt = null;
      this.sendWant(port, now);
    }
    this.updateBudget(now);
    this.rebalance(now);
  }

  private want(port: PortRecord, on: boolean, now: number): void {
    if (port.want !== on) {
      port.want = on;
      this.dirty = true;
      port.wantSince = now;
      port.sentAt = null;
    }
    this.sendWant(port, now);
  }

  private sendWant(port: PortRecord, now: number): void {
    if (!this.chargerOnline || port.sentAt !== null) return;
    let sent = false;
    try {
      sent = this.opts.sendCommand(this.opts.config.node, { op: 'port', port: port.p, on: port.want });
    } catch (err) {
      this.log.warn('port command failed', { port: port.p, error: errorMessage(err) });
    }
    if (sent) port.sentAt = now;
  }

  /** Unsent commands, and commands the node's reports do not reflect after a while, go out again. */
  private resend(now: number): void {
    const grace = this.opts.config.tickS * 2000;
    for (const port of this.ports) {
      // A disabled port is the technician's (commissioning switches it for a test): do not switch it back.
      if (port.state === 'disabled') continue;
      const mismatch = port.reported !== null && port.reported.on !== port.want && port.sentAt !== null && now - port.sentAt >= grace;
      if (mismatch) port.sentAt = null;
      this.sendWant(port, now);
    }
  }

  // --- internals: bookkeeping ---

  private setState(port: PortRecord, state: PortRecord['state'], now: number): void {
    if (port.state !== state) {
      port.since = now;
      this.dirty = true;
    }
    port.state = state;
  }

  private alert(a: ChargingAlert): void {
    this.log.warn('charging alert', { port: a.port, fault: a.fault, detail: a.detail });
    try {
      this.opts.onAlert?.(a);
    } catch (err) {
      this.log.error('alert handler failed', { error: errorMessage(err) });
    }
  }

  private record(r: ChargingRecord): void {
    this.dirty = true;
    try {
      this.opts.persistence.append(r);
    } catch (err) {
      this.log.error('charging record not stored', { kind: r.kind, error: errorMessage(err) });
    }
  }

  private snapshot(): ChargingSnapshot {
    return { nextNumber: this.nextNumber, tickets: [...this.tickets.values()], ports: this.ports, holderStarts: this.holderStarts, stage: this.stage, policy: this.policy, localOpen: this.localOpen };
  }

  /**
   * Writes the snapshot when the queue or a port changed, otherwise at most every SAVE_EVERY_MS (energy
   * counters move with every reading; rewriting the snapshot every 30 s would wear the SD card for nothing).
   */
  private save(force = false): void {
    const now = this.opts.clock.now();
    if (!force && !this.dirty && now - this.savedAt < SAVE_EVERY_MS) return;
    try {
      this.opts.persistence.saveSnapshot(this.snapshot());
      this.dirty = false;
      this.savedAt = now;
    } catch (err) {
      this.log.error('charging state not saved', { error: errorMessage(err) });
    }
  }

  private restore(): void {
    const now = this.opts.clock.now();
    const cfg = this.opts.config;
    const blank = (p: number): PortRecord => ({ p, state: 'free', number: null, since: now, until: null, session: null, fault: null, want: false, wantSince: now, sentAt: null, reported: null, lastEnd: null });
    let snap: ChargingSnapshot | null = null;
    try {
      snap = this.opts.persistence.loadSnapshot();
    } catch (err) {
      this.log.error('charging state unreadable: starting empty', { error: errorMessage(err) });
    }
    this.ports = Array.from({ length: cfg.ports }, (_, p) => {
      const old = snap?.ports[p];
      if (!old) return blank(p);
      // Until the charger speaks we do not know what happened meanwhile: running sessions pause, and the
      // relays are re-asserted when it does.
      const port: PortRecord = { ...old, sentAt: null, reported: null };
      if (port.session && !port.session.paused) {
        port.session.paused = true;
        port.session.pausedAt = now;
      }
      if (port.session) {
        port.session.lastMa = null;
        port.session.lastAt = null;
      }
      port.want = false;
      return port;
    });
    if (snap) {
      this.nextNumber = snap.nextNumber;
      this.holderStarts = snap.holderStarts;
      this.stage = snap.stage;
      // a closure by staff outlasts a restart (snapshots from before the switch existed: open)
      this.localOpen = snap.localOpen ?? true;
      for (const t of snap.tickets) {
        this.tickets.set(t.number, t);
        this.byToken.set(t.token, t.number);
      }
      // Offers made before the restart go back to the queue in their place.
      for (const port of this.ports) if (port.state === 'offered') this.withdrawOffer(port, now);
      this.log.info('charging state restored', { tickets: this.tickets.size, nextNumber: this.nextNumber });
    }
  }
}
