// The commissioning wizard's and the diagnostics screen's rows of the gateway's request table (technician only).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { ApiModule, ApiRoute } from '../api/index.js';
import { json } from '../api/index.js';
import { readJson } from '../api/http-input.js';
import { HttpError } from '../http/server.js';
import { NodeIdSchema } from '../protocol/index.js';
import { reportMarkdown } from './report.js';
import { CommissioningError, type CommissioningService } from './service.js';
import { STEP_STATUSES } from './steps.js';

const TECH = ['technician'] as const;
const StepId = z.string().regex(/^[a-z][a-z-]{0,31}$/);
const DecideInput = z.strictObject({ step: StepId, status: z.enum(STEP_STATUSES), note: z.string().max(500).optional() });
const ConfigValue = z.union([z.string().max(64), z.number().finite(), z.boolean()]);
const ConfigInput = z.strictObject({ node: NodeIdSchema, set: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,31}$/), ConfigValue).refine((s) => Object.keys(s).length >= 1 && Object.keys(s).length <= 8, '1–8 keys') });
const FuelInput = z.strictObject({
  node: NodeIdSchema,
  depthMm: z.number().int().min(50).max(5000),
  table: z.array(z.strictObject({ mm: z.number().min(0).max(5000), litres: z.number().min(0).max(100_000) })).min(2).max(12),
});
const NodeInput = z.strictObject({ node: NodeIdSchema });
const PortInput = z.strictObject({ port: z.number().int().min(0).max(31), on: z.boolean(), confirmed: z.boolean().optional() });
const StepInput = z.strictObject({ step: StepId });
const BoardTestInput = z.strictObject({ holdMin: z.number().int().min(3).max(30).optional() });
const BoardVerdictInput = z.strictObject({ seen: z.boolean() });
const Empty = z.strictObject({});

export function commissioningApi(svc: CommissioningService | null): ApiModule {
  return (ctx) => {
    const need = (): CommissioningService => {
      if (!svc) throw new HttpError(404, 'this gateway does not run commissioning (point role only)');
      return svc;
    };
    /** Technician session (CSRF on POST); returns the username that goes into the report. */
    const tech = (req: Parameters<ApiRoute['handler']>[0]) => ctx.auth.require(req, TECH).user.username;
    const guard = async <T>(fn: () => T | Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof CommissioningError) throw new HttpError(err.status, err.message);
        throw err;
      }
    };
    const post = (path: string, input: string, output: string, summary: string, run: (req: Parameters<ApiRoute['handler']>[0], by: string, s: CommissioningService) => Promise<unknown>): ApiRoute => ({
      method: 'POST',
      path,
      access: 'technician',
      input,
      output,
      summary,
      handler: async (req) => {
        const s = need();
        const by = tech(req);
        return json(await guard(() => run(req, by, s)));
      },
    });
    return [
      {
        method: 'GET', path: '/api/commissioning', access: 'technician', input: '—',
        output: '`{steps: [{id, nl, en}], run: RunView|null, runs: [{id, startedAt, startedBy, finishedAt, finishedBy}], nodes: DiscoveredNode[], charging: {ports}|null}`',
        summary: 'The commissioning wizard: the step list, the run in progress (resumed after a reload or restart) and past runs.',
        handler: (req) => {
          const s = need();
          tech(req);
          return json({ steps: s.steps, run: s.current(), runs: s.runs(), nodes: s.discover().nodes, fuel: s.fuelNodes(), charging: s.chargingInfo() });
        },
      },
      post('/api/commissioning/start', '`{}`', '`RunView {run, steps: [{step, status, note, decidedAt, decidedBy, nl, en}], measurements}`', 'Starts a run, or returns the one still open.', async (req, by, s) => {
        await readJson(req, Empty);
        return s.start(by);
      }),
      post('/api/commissioning/step', '`{step: id from hardware/commissioning-steps.json, status: passed|failed|skipped|open, note?: ≤500 (required for failed and skipped)}`', '`RunView`', "The technician's verdict on a step.", async (req, by, s) => {
        const i = await readJson(req, DecideInput);
        return s.decide(i.step, i.status, i.note ?? null, by);
      }),
      post('/api/commissioning/discover', '`{}`', '`Measurement {id, step, at, by, what, ok, value: {nodes, missing, unexpected}}`', 'Records every node heard on serial and MQTT: link, firmware, last seen, heartbeat; configured nodes missing; nodes heard but not configured.', async (req, by, s) => {
        await readJson(req, Empty);
        return s.recordDiscovery(by);
      }),
      post('/api/commissioning/firmware', '`{}`', '`Measurement` (value.nodes: [{id, kind, reported, expected, match}])', "Compares each node's reported firmware with the build in firmware/dist (a mismatching node on USB serial is flashed with POST /api/commissioning/flash).", async (req, by, s) => {
        await readJson(req, Empty);
        return s.verifyFirmware(by);
      }),
      post('/api/commissioning/flash', '`{node}`', '`{flash: FlashState {node, kind, port, phase: releasing|uploading|reopening|waiting, startedAt, oldVersion, expected}}` at once; 409 while an upload runs or for a node on Wi-Fi (MQTT: connect it by USB), 404 unknown node or no build', "Uploads the firmware build to a node on USB serial: the gateway releases the node's port, runs the flasher (espruino CLI), reopens the link and waits for the node's heartbeat with the build's version; recorded in the nodes step as `firmware flash <node>` (old/new version, duration, the flasher's last output lines).", async (req, by, s) => {
        const i = await readJson(req, NodeInput);
        const { state, done } = s.flashNode(i.node, by);
        // The outcome is recorded as a measurement; GET /api/commissioning/flash follows the progress.
        done.catch(() => undefined);
        return { flash: state };
      }),
      {
        method: 'GET', path: '/api/commissioning/flash', access: 'technician', input: '—',
        output: '`{flash: FlashState|null}`: the upload running now or the last one (phase done|failed with ok, error, newVersion, durationMs, output, measurementId)',
        summary: 'Progress and result of the firmware upload.',
        handler: (req) => {
          const s = need();
          tech(req);
          return json({ flash: s.flashState() });
        },
      },
      post('/api/commissioning/node-config', '`{node, set: {key: string ≤64|number|boolean} (1–8 keys, e.g. id, hbSec, link)}`', '`Measurement` (value: {node, set, ok, error?}); passwords are not recorded', "Sets a node's configuration over its link and waits for the node's answer.", async (req, by, s) => {
        const i = await readJson(req, ConfigInput);
        return s.configureNode(i.node, i.set, by);
      }),
      post('/api/commissioning/fuel', '`{node, depthMm: sensor to tank bottom 50–5000, table: [{mm: fuel height, litres}] 2–12 rows}`', '`Measurement`', "Sends the tank shape table to the fuel node's `table` config.", async (req, by, s) => {
        const i = await readJson(req, FuelInput);
        return s.calibrateFuel(i.node, i.depthMm, i.table, by);
      }),
      post('/api/commissioning/fuel-check', '`{node}`', '`{waiting: true}` until a reading after the calibration arrives, then `Measurement` (reported vs expected litres)', 'Verifies the first fuel reading after calibration against the table.', async (req, by, s) => {
        const i = await readJson(req, NodeInput);
        return s.fuelCheck(i.node, by);
      }),
      post('/api/commissioning/port', '`{port: 0–31, on: boolean, confirmed?: boolean (with on: false)}`', 'on: `{node, ok, error?}`; off: `Measurement` (measuredMa, technicianConfirmed)', 'Tests a charging port: out of the charging queue and on; then off with the measured current and the confirmation, and back in service.', async (req, by, s) => {
        const i = await readJson(req, PortInput);
        return i.on ? s.portOn(i.port) : s.portOff(i.port, i.confirmed === true, by);
      }),
      {
        method: 'GET', path: '/api/commissioning/port', access: 'technician', input: 'query `port` 0–31',
        output: '`{on, mA, fault, at, fresh}` (fresh: read after the port was switched on)', summary: "The charger's latest reading of one port.",
        handler: (req, url) => {
          const s = need();
          tech(req);
          const p = Number(url.searchParams.get('port'));
          if (!Number.isInteger(p) || p < 0 || p > 31) throw new HttpError(400, 'invalid input: port must be 0–31');
          return json(s.portReading(p));
        },
      },
      post(
        '/api/commissioning/board-test',
        '`{holdMin?: 3–30 (default 10)}`',
        '`BoardTestView {test: {id, phase: pending|showing|restoring|restored|failed|cancelled, requestedAt, dueAt, shownAt, refreshMs, restoreFrom, holdUntil, restoreRequestedAt, restoreAt, restoredAt, error}, image, panelImage, now}`; 409 while a test is waiting or on the panel',
        "Puts the test pattern on the e-ink panel with a full refresh through the board's driver, as soon as the panel's minimum refresh interval allows (`dueAt`), and holds it until the verdict or `holdMin`. Answers at once; the `test pattern` measurement (drivenToPanel, refreshMs) is recorded when the panel's refresh has ended.",
        async (req, by, s) => {
          const i = await readJson(req, BoardTestInput);
          return s.boardTest(by, i.holdMin === undefined ? undefined : i.holdMin * 60_000);
        },
      ),
      {
        method: 'GET', path: '/api/commissioning/board-test', access: 'technician', input: '—',
        output: '`BoardTestView` (test null before the first test since the gateway started)', summary: "The board test's state: waiting for the panel, on the panel since, content back.",
        handler: async (req) => {
          const s = need();
          tech(req);
          return json(await guard(() => s.boardTestView()));
        },
      },
      post('/api/commissioning/board-test/verdict', '`{seen: boolean}`', '`Measurement` `test pattern seen` (technicianConfirmed, drivenToPanel, contentBackAt); 409 before the pattern reached the panel', "The technician's verdict on the pattern on the panel (border, checkerboard, diagonals); the board's content then returns as soon as the panel's minimum interval allows.", async (req, by, s) => {
        const i = await readJson(req, BoardVerdictInput);
        return s.boardVerdict(i.seen, by);
      }),
      post('/api/commissioning/board-test/restore', '`{}`', '`BoardTestView`', 'Ends the board test without a verdict: cancels one still waiting for the panel, or brings the content back as soon as the panel allows.', async (req, _by, s) => {
        await readJson(req, Empty);
        return s.boardRestore();
      }),
      {
        method: 'GET', path: '/api/commissioning/board-test.png', access: 'technician', input: '—', output: 'image/png; 404 before a test',
        summary: 'The test pattern image.',
        handler: (req) => {
          const s = need();
          tech(req);
          if (!existsSync(s.boardTestImage)) throw new HttpError(404, 'no board test yet');
          return { kind: 'file', path: s.boardTestImage, type: 'image/png' };
        },
      },
      post('/api/commissioning/lora', '`{}`', '`Measurement`: after a failed join `join` (joined false, joinMs, error); else `link check` (joined, answered, rssi, snr, marginDb, gateways, dr, verdict ok|low-margin|no-gateway|no-answer|error, minMarginDb, minGateways, error, checkMs, LoRa path status)', 'Joins the LoRaWAN network (OTAA), then runs a link check (one uplink with a LinkCheckReq); records both. Passes with margin ≥ 10 dB and ≥ 1 gateway.', async (req, by, s) => {
        await readJson(req, Empty);
        return s.loraCheck(by);
      }),
      post('/api/commissioning/measure', '`{step}`', '`Measurement`', 'Records a snapshot of the live values for a step (battery, visitors, power budget, gateway).', async (req, by, s) => {
        const i = await readJson(req, StepInput);
        return s.measure(i.step, by);
      }),
      post('/api/commissioning/finish', '`{}`', '`{run, report}`; 409 while a step is open', 'Saves the commissioning report (in the database and as JSON and Markdown in the data folder).', async (req, by, s) => {
        await readJson(req, Empty);
        return s.finish(by);
      }),
      {
        method: 'GET', path: '/api/commissioning/report', access: 'technician', input: 'query `id` = run, `format` = json|md',
        output: 'JSON report, or Markdown as `{markdown}` (the console offers both as downloads); 404 unknown run',
        summary: 'A commissioning report with every step, measured value and who did it.',
        handler: (req, url) => {
          const s = need();
          tech(req);
          const id = Number(url.searchParams.get('id'));
          if (!Number.isInteger(id) || id < 1) throw new HttpError(400, 'invalid input: id');
          const r = s.report(id);
          if (!r) throw new HttpError(404, 'no such commissioning run');
          return json(url.searchParams.get('format') === 'md' ? { markdown: reportMarkdown(r) } : r);
        },
      },
      {
        method: 'GET', path: '/api/diagnostics', access: 'technician', input: 'query `logs` 0–300 (default 100)',
        output: '`{time, gateway, nodes, values, links: [{name, up, messages, rejected}], lora, board, logs}`',
        summary: 'Diagnostics: live values, heartbeats (memory, error flags), link quality, recent gateway logs (no personal data).',
        handler: (req, url) => {
          const s = need();
          tech(req);
          const n = Number(url.searchParams.get('logs') ?? 100);
          if (!Number.isInteger(n) || n < 0 || n > 300) throw new HttpError(400, 'invalid input: logs must be 0–300');
          return json(s.diagnostics(n));
        },
      },
    ];
  };
}
