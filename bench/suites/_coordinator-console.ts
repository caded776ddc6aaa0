// `console_load_ms_1000_points` for suite `coordinator` (bench/README.md `## coordinator`): a real coordinator
// gateway (embedded broker, its own HTTP server serving the built kiosk UI) learns 1,000 points from their
// MQTT statuses; Debian's Chromium, logged in as the coordinator, opens the console's overview in a fresh
// browser context (cold cache) and the page itself records when the table holds every row.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { CredentialStore } from '../../edge-gateway/src/broker/index.js';
import { parseConfig } from '../../edge-gateway/src/config/load.js';
import { SystemClock } from '../../edge-gateway/src/core/clock.js';
import { startCoordinatorGateway } from '../../edge-gateway/src/gateway/coordinator-gateway.js';
import { silentLogger } from '../../edge-gateway/src/log/logger.js';
import { pointTopics, type PointStatus } from '../../edge-gateway/src/protocol/index.js';
import { CHROMIUM_PATH, launchChromium } from '../../kiosk-ui/test/support/chromium.js';
import { builtUi } from '../../kiosk-ui/test/support/ui-server.js';

export interface ConsoleLoad {
  /** Navigation start → overview table with every row in the DOM, per run (ms). */
  runsMs: number[];
  medianMs: number;
  /** Time until the coordinator had all statuses (setup, not measured as load). */
  ingestMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function status(i: number, now: number): PointStatus {
  const litres = 2 + ((i * 37) % 58);
  return {
    v: 1,
    point: `p${i}`,
    name: `Noodsteunpunt ${i}`,
    seq: 1,
    ts: now,
    nodes: [
      { id: 'fuel-1', kind: 'fuel', online: true, lastSeen: now },
      { id: 'bat-1', kind: 'battery', online: true, lastSeen: now },
    ],
    fuel: { litres, pct: Math.round((litres / 60) * 1000) / 10, status: 'ok' },
    battery: { v: 51.2, soc: 20 + (i % 80), a: 3 },
    visitors: { inside: i % 40, entries: i },
    charging: { portsOn: i % 4, ports: 4, watts: 12 * (i % 4) },
    alarms: [],
  };
}

/** Null (with a line saying why) when Chromium is missing. */
export async function consoleLoad(points = 1000, runs = 3): Promise<ConsoleLoad | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.warn(`console_load_ms_1000_points left out: chromium is not installed at ${CHROMIUM_PATH}`);
    return null;
  }
  const ui = await builtUi();
  const dir = mkdtempSync(join(tmpdir(), 'ns-bench-console-'));
  const creds = await CredentialStore.open(dir);
  // A second service user of the gateway role may publish every point's status (the ACL's point/+/#).
  const secret = await creds.issue({ username: '_bench', role: 'gateway' });
  const gw = await startCoordinatorGateway(
    parseConfig({ role: 'coordinator', id: 'regio', name: 'Regio', dataDir: dir, mqtt: { mode: 'embedded', port: 0 }, http: { port: 0 } }),
    { clock: new SystemClock(1), log: silentLogger, uiDir: ui.dir },
  );
  const browser = await launchChromium();
  const client = await mqtt.connectAsync(gw.mqttUrl!, { username: '_bench', password: secret, reconnectPeriod: 0 });
  try {
    const code = readFileSync(join(dir, 'setup-code'), 'utf8').trim();
    const setup = await fetch(`${gw.httpUrl}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, username: 'coordinator', password: 'a long bench passphrase' }),
    });
    if (setup.status !== 201) throw new Error(`set-up refused: HTTP ${setup.status}`);
    const [name, value] = setup.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];

    const t0 = performance.now();
    const now = Date.now();
    await Promise.all(Array.from({ length: points }, (_, i) => client.publishAsync(pointTopics.status(`p${i}`), JSON.stringify(status(i, now)), { qos: 1 })));
    for (;;) {
      const body = (await (await fetch(`${gw.httpUrl}/api/points`, { headers: { cookie: `${name}=${value}` } })).json()) as { data: { points: { status: unknown }[] } };
      if (body.data.points.filter((p) => p.status).length >= points) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ingestMs = performance.now() - t0;

    const runsMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      // bypassCSP: the gateway's CSP would block the probe's evaluation in the page.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
      await context.addCookies([{ name, value, url: gw.httpUrl }]);
      // Recorded by the page: the first moment the overview table says it holds every row (set in the same
      // render as the rows), in ms since the navigation started.
      // A string, not a function: tsx would wrap a function's inner helpers in `__name`, unknown in the page.
      await context.addInitScript(`(() => {
        const sel = 'table[data-table="coordinator-points"][data-rows="${points}"]';
        const obs = new MutationObserver(() => {
          if (window.__rowsAt === undefined && document.querySelector(sel)) {
            window.__rowsAt = performance.now();
            obs.disconnect();
          }
        });
        obs.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-rows'] });
      })();`);
      const page = await context.newPage();
      await page.goto(`${gw.httpUrl}/console/#/coordinator`);
      await page
        .waitForFunction(() => (window as unknown as { __rowsAt?: number }).__rowsAt !== undefined, null, { timeout: 60_000, polling: 100 })
        .catch(async (err: unknown) => {
          throw new Error(`the overview never showed ${points} rows; the page says: ${(await page.innerText('body')).slice(0, 1000)}`, { cause: err });
        });
      const rows = await page.locator('table[data-table="coordinator-points"] tbody tr').count();
      if (rows !== points) throw new Error(`overview shows ${rows} rows, expected ${points}`);
      runsMs.push(await page.evaluate(() => (window as unknown as { __rowsAt: number }).__rowsAt));
      await context.close();
    }
    return { runsMs, medianMs: median(runsMs), ingestMs };
  } finally {
    await client.endAsync().catch(() => undefined);
    await browser.close();
    await gw.stop();
    rmSync(dir, { recursive: true, force: true });
    ui.cleanup();
  }
}
