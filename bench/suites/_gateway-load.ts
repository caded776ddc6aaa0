// Steady-state cost of a running point gateway: the real `noodsteun gateway` process with its embedded
// broker, fed by 8 nodes at 1 message/s each — 6 over MQTT with their own credentials and, where socat
// exists, 2 over serial pseudo-terminals — measured from /proc (RSS, CPU ticks) after a warm-up.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { SerialPort } from 'serialport';
import { CredentialStore } from '../../edge-gateway/src/broker/index.js';
import { encodeFrame, encodeMessage, nodeTopics, type Message } from '../../edge-gateway/src/protocol/index.js';
import { createPtyPair, socatAvailable, type PtyPair } from '../../edge-gateway/src/sim/pty.js';
import { freePort } from '../../edge-gateway/src/sim/site.js';
import { POINT_NODE_ARGS, SERVICE_ENV } from '../../edge-gateway/src/service-runtime.js';

const BIN = fileURLToPath(new URL('../../edge-gateway/bin/noodsteun.js', import.meta.url));
const CLK_TCK = 100;

export interface GatewayLoadResult {
  rssMb: number;
  cpuPct: number;
  nodes: number;
  serialNodes: number;
  messagesSent: number;
  measuredS: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** Messages the gateway had stored by the end: proves the load really went through. */
  stored: number;
}

function procStats(pid: number): { rssKb: number; ticks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  // Fields after the command name in /proc/<pid>/stat: utime is the 14th, stime the 15th field overall.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssKb, ticks: Number(rest[11]) + Number(rest[12]) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function reading(node: string, seq: number, boot: number): Message {
  const ts = Date.now();
  if (seq % 60 === 0) {
    return { v: 1, node, boot, seq, ts, type: 'hb', body: { kind: 'battery', fw: 'bench', up: seq, mem: 9000, flags: [], link: 'mqtt' } };
  }
  return { v: 1, node, boot, seq, ts, type: 'battery', body: { v: 25.6 + (seq % 10) / 100, a: -3.2, soc: 80 - seq / 1000, status: 'ok' } };
}

export async function measureGatewayLoad(opts: { warmupS?: number; measureS?: number } = {}): Promise<GatewayLoadResult> {
  // Measure the production form: the bundle, not the TypeScript sources through tsx's loader.
  execFileSync('npm', ['run', '--silent', 'build', '-w', 'edge-gateway'], { stdio: 'inherit' });
  const warmupS = opts.warmupS ?? 20;
  const measureS = opts.measureS ?? 60;
  const dir = mkdtempSync(join(tmpdir(), 'ns-bench-gw-'));
  const serialCount = socatAvailable() ? 2 : 0;
  const ids = Array.from({ length: 8 }, (_, i) => `bench-${i + 1}`);
  const mqttIds = ids.slice(serialCount);
  const ptys: PtyPair[] = [];
  const stops: (() => unknown)[] = [];
  try {
    for (let i = 0; i < serialCount; i++) ptys.push(await createPtyPair({ gatewayPath: join(dir, `tty${i}`), nodePath: join(dir, `tty${i}.node`) }));
    const creds = await CredentialStore.open(dir);
    const secrets = new Map<string, string>();
    for (const id of mqttIds) secrets.set(id, await creds.issue({ username: id, role: 'node' }));
    const mqttPort = await freePort();
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        role: 'point',
        id: 'bench-point',
        name: 'Bench point',
        dataDir: '.',
        log: { level: 'warn', format: 'json' },
        nodes: ids.map((id) => ({ id, kind: 'battery' })),
        serial: ptys.map((p) => ({ path: p.gatewayPath })),
        mqtt: { mode: 'embedded', host: '127.0.0.1', port: mqttPort },
        http: { host: '127.0.0.1', port: 0 },
      }),
    );
    // Launched as in production: the bundled service with the point's runtime flags.
    const gw = spawn(process.execPath, [...POINT_NODE_ARGS, BIN, 'gateway', '--config', join(dir, 'config.json')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...SERVICE_ENV },
    });
    stops.push(() => gw.kill('SIGTERM'));
    const urlFile = join(dir, 'http.url');
    for (let i = 0; i < 300 && !existsSync(urlFile); i++) await sleep(100);
    if (!existsSync(urlFile)) throw new Error('gateway did not start');

    let sent = 0;
    const boot = Math.floor(Date.now() / 1000);
    const senders: ((seq: number) => void)[] = [];
    for (const id of mqttIds) {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { username: id, password: secrets.get(id)!, clientId: id });
      await c.subscribeAsync(nodeTopics.down(id));
      stops.push(() => c.end(true));
      senders.push((seq) => {
        c.publish(nodeTopics.up(id), encodeMessage(reading(id, seq, boot)));
        sent++;
      });
    }
    for (let i = 0; i < serialCount; i++) {
      const id = ids[i]!;
      const port = new SerialPort({ path: ptys[i]!.nodePath, baudRate: 115200 });
      await new Promise<void>((res, rej) => port.once('open', () => res()).once('error', rej));
      port.on('data', () => {}); // acks arrive here; drain them like a node would
      stops.push(() => port.isOpen && port.close());
      senders.push((seq) => {
        port.write(encodeFrame(encodeMessage(reading(id, seq, boot))));
        sent++;
      });
    }
    // Spread the 8 nodes over each second, as independent nodes would be.
    let seq = 0;
    const timers = senders.map((send, i) =>
      setTimeout(function tick() {
        send(++seq);
        timers[i] = setTimeout(tick, 1000);
      }, (i * 1000) / senders.length),
    );
    stops.push(() => timers.forEach((t) => clearTimeout(t)));

    await sleep(warmupS * 1000);
    const start = procStats(gw.pid!);
    const t0 = Date.now();
    const rss: number[] = [];
    while (Date.now() - t0 < measureS * 1000) {
      await sleep(1000);
      rss.push(procStats(gw.pid!).rssKb);
    }
    const end = procStats(gw.pid!);
    const health = (await (await fetch(`${readFileSync(urlFile, 'utf8').trim()}/api/health`)).json()) as { data: { memory: NodeJS.MemoryUsage; ingest: { stored: number } } };
    const wallS = (Date.now() - t0) / 1000;
    rss.sort((a, b) => a - b);
    return {
      rssMb: Math.round((rss[Math.floor(rss.length / 2)]! / 1024) * 10) / 10,
      cpuPct: Math.round(((end.ticks - start.ticks) / CLK_TCK / wallS) * 1000) / 10,
      nodes: ids.length,
      serialNodes: serialCount,
      messagesSent: sent,
      measuredS: Math.round(wallS),
      heapUsedMb: Math.round(health.data.memory.heapUsed / 104857.6) / 10,
      heapTotalMb: Math.round(health.data.memory.heapTotal / 104857.6) / 10,
      stored: health.data.ingest.stored,
    };
  } finally {
    for (const stop of stops.reverse()) stop();
    await sleep(500);
    await Promise.allSettled(ptys.map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}
