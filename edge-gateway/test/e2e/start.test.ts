// `noodsteun start` as a user runs it: the whole simulated point with its coordinator, as child
// processes, answering on the printed URL, with telemetry flowing from serial and MQTT nodes into the
// point and its status reaching the coordinator; Ctrl-C stops everything within a few seconds.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithout } from '../support/externals.js';
import { ensureBundles } from '../../../firmware/test/helpers/bundles.js';
import { until } from '../support/until.js';

const BIN = fileURLToPath(new URL('../../bin/noodsteun.js', import.meta.url));
const noSocat = skipWithout('socat', 'npm start end-to-end (serial nodes)');

interface Envelope<T> {
  status: string;
  data: T;
}
async function getJson<T>(url: string, cookie?: string): Promise<T> {
  const res = await fetch(url, cookie ? { headers: { cookie } } : {});
  expect(res.status).toBe(200);
  return ((await res.json()) as Envelope<T>).data;
}

describe.skipIf(noSocat)('noodsteun start', () => {
  // As `npm start` does: build the service bundle and the firmware, so the services run from the bundle
  // and the simulator runs the real node firmware.
  beforeAll(async () => {
    execFileSync('npm', ['run', '--silent', 'build', '-w', 'edge-gateway'], { stdio: 'ignore', timeout: 120_000 });
    await ensureBundles(); // shares the firmware tests' build lock
  }, 150_000);

  it('runs the simulated point and coordinator, serves the UI, and stops cleanly on SIGINT', async () => {
    const data = mkdtempSync(join(tmpdir(), 'ns-start-'));
    const proc = spawn(process.execPath, [BIN, 'start', '--speed', '30', '--port', '0', '--data', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      const pointUrl = await until('the URL line', async () => /open the point:\s+(http:\/\/localhost:\d+)/.exec(out)?.[1], 90_000);
      const coordinatorUrl = /coordinator console:\s+(http:\/\/localhost:\d+)/.exec(out)?.[1];
      expect(out).toMatch(/board image:\s+\S+latest\.png/);
      expect((await fetch(pointUrl)).status).toBe(200);

      // Telemetry from both serial (fuel, battery) and MQTT (visitors, charger) nodes reaches the point.
      type Status = { nodes: { id: string; online: boolean; fw: string | null }[]; readings: Record<string, unknown> };
      const status = await until('readings from every node', async () => {
        const s = await getJson<Status>(`${pointUrl}/api/status`);
        const r = s.readings;
        return r.fuel && r.battery && r.visitors && r.charger && s.nodes.filter((n) => n.online).length === 4 ? s : null;
      }, 60_000);
      expect(status.nodes.map((n) => n.id).sort()).toEqual(['battery-1', 'charger-1', 'fuel-1', 'visitors-1']);
      // Every node is the real firmware bundle (its version string), not a stand-in (`sim-…`).
      for (const n of status.nodes) expect(n.fw).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{8}$/);

      // The board is drawn (simulated panel) and served to the screens.
      const board = await until('the board image', async () => {
        const res = await fetch(`${pointUrl}/api/board/latest.png`);
        return res.status === 200 ? res : null;
      }, 60_000);
      expect(board.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await board.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

      // A resident takes a charging number (the simulated point runs the charging module) once the power
      // budget, fed by the battery and fuel readings, has ports to give; before that a number is refused.
      await until('free charging ports', async () => (await getJson<{ freePorts: number }>(`${pointUrl}/api/charging/board`)).freePorts > 0, 60_000);
      const ticket = await fetch(`${pointUrl}/api/charging/number`, { method: 'POST' });
      expect(ticket.status).toBe(201);
      expect(((await ticket.json()) as Envelope<{ number: number }>).data.number).toBe(1);

      // The point reports to the coordinator.
      // Its overview needs a coordinator's login: first-run set-up with the code `npm start` printed.
      const code = /coordinator set-up code:\s+([a-z0-9]+)/.exec(out)?.[1];
      expect(code).toBeTruthy();
      const setup = await fetch(`${coordinatorUrl}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, username: 'coordinator', password: 'a long passphrase here' }),
      });
      expect(setup.status).toBe(201);
      const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${coordinatorUrl}/api/points`)).status).toBe(401);
      type Points = { points: { point: string; online: boolean; status: { fuel: unknown } | null }[] };
      const points = await until('the point at the coordinator', async () => {
        const p = await getJson<Points>(`${coordinatorUrl}/api/points`, cookie);
        return p.points.find((x) => x.point === 'sim-punt-1' && x.online && x.status?.fuel) ? p : null;
      }, 60_000);
      expect(points.points).toHaveLength(1);
    } finally {
      const t0 = Date.now();
      // Ctrl-C in a terminal signals the whole process group.
      if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGINT');
      const code = await new Promise<number | null>((r) => (proc.exitCode !== null ? r(proc.exitCode) : proc.once('exit', (c) => r(c))));
      const stopMs = Date.now() - t0;
      rmSync(data, { recursive: true, force: true });
      if (code !== 0) console.error(out, err);
      expect(code).toBe(0);
      expect(stopMs).toBeLessThan(8000);
    }
    // No process of the group is left behind (children may take a moment after the parent exits).
    const groupAlive = () => {
      try {
        process.kill(-proc.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(groupAlive()).toBe(false);
  }, 150_000);
});
