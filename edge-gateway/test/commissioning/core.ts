// The gateway's real core for the commissioning tests: SQLite store, ingest, bus, registry, with fake nodes
// on a fake serial link and a fake MQTT link (fake-nodes.ts), and a commissioning service on top.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../src/core/bus.js';
import { SystemClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { NodeRegistry } from '../../src/core/registry.js';
import { Ingest } from '../../src/ingest/index.js';
import { memoryLogger } from '../../src/log/logger.js';
import type { CommandBody, DownlinkMessage, NodeKind } from '../../src/protocol/index.js';
import { Store } from '../../src/store/index.js';
import { CommissioningService, LinkMonitor, LogRing, teeLogger, type CommissioningDeps } from '../../src/commissioning/index.js';
import { FakeLink } from './fake-nodes.js';

export const FW: Partial<Record<NodeKind, string>> = { fuel: '1.0.0+aaaa', battery: '1.0.0+bbbb', charger: '1.0.0+cccc', visitors: '1.0.0+dddd' };

export interface Core {
  dir: string;
  store: Store;
  bus: EventBus<GatewayEvents>;
  registry: NodeRegistry;
  ingest: Ingest;
  serial: FakeLink;
  mqtt: FakeLink;
  monitor: LinkMonitor;
  ring: LogRing;
  charging: { ports: number; disabled: Set<number>; calls: string[]; disablePort(p: number): boolean; enablePort(p: number): boolean };
  svc(extra?: Partial<CommissioningDeps>): CommissioningService;
  close(): Promise<void>;
}

export async function core(dir = mkdtempSync(join(tmpdir(), 'ns-comm-'))): Promise<Core> {
  const clock = new SystemClock();
  const log = memoryLogger();
  const ring = new LogRing(50);
  const store = Store.open(join(dir, 'gateway.db'), { log });
  const bus = new EventBus<GatewayEvents>(log);
  const registry = new NodeRegistry({ bus, clock, store });
  registry.start();
  let seq = 0;
  const nextSeq = () => ++seq;
  const ingest = new Ingest({ store, bus, clock, nextSeq, commitIntervalMs: 5, urgentCommitMs: 5 });
  ingest.start();
  const serial = new FakeLink('serial:/dev/ttyFAKE0');
  const mqtt = new FakeLink('mqtt');
  const monitor = new LinkMonitor(() => clock.now());
  const links = [serial, mqtt];
  for (const l of links) {
    monitor.attach(l);
    ingest.attach(l);
    await l.start();
  }
  const send = (node: string, body: CommandBody): number | null => {
    const msg: DownlinkMessage = { v: 1, node, boot: store.boot, seq: nextSeq(), ts: clock.now(), type: 'cmd', body };
    return links.some((l) => l.send(msg)) ? msg.seq : null;
  };
  const disabled = new Set<number>();
  const calls: string[] = [];
  const charging = {
    ports: 2,
    disabled,
    calls,
    disablePort: (p: number) => (calls.push(`disable ${p}`), disabled.add(p), true),
    enablePort: (p: number) => (calls.push(`enable ${p}`), disabled.delete(p)),
  };
  return {
    dir,
    store,
    bus,
    registry,
    ingest,
    serial,
    mqtt,
    monitor,
    ring,
    charging,
    svc: (extra = {}) =>
      new CommissioningService({
        db: store.db,
        clock,
        log: teeLogger(log, ring),
        point: { id: 'p1', name: 'Dorpshuis' },
        registry,
        bus,
        links: monitor,
        logs: ring,
        nodes: [
          { id: 'fuel-1', kind: 'fuel' },
          { id: 'battery-1', kind: 'battery' },
          { id: 'charger-1', kind: 'charger' },
          { id: 'visitors-1', kind: 'visitors' },
        ],
        send,
        expectedFirmware: (k) => FW[k] ?? null,
        charging,
        dir: join(dir, 'commissioning'),
        resultTimeoutMs: 1000,
        ...extra,
      }),
    async close() {
      monitor.detach();
      await ingest.stop();
      registry.stop();
      store.close();
    },
  };
}

