// The coordinator console's API on a running coordinator gateway (embedded broker, real SQLite, virtual
// clock): a point's statuses over MQTT raise, acknowledge and auto-resolve alerts with hysteresis, pushed
// live; chart series; relayed reports in the inbox (acknowledged to the point) in triage order; CAP import;
// the e-ink preview; the evidence export; and who may call it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { CredentialStore, coordinatorUsername } from '../../src/broker/index.js';
import { decodePng } from '../../src/board/png.js';
import { parseBoardContent } from '../../src/board/content.js';
import { parseConfig } from '../../src/config/load.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger, type LogRecord } from '../../src/log/logger.js';
import { startCoordinatorGateway } from '../../src/gateway/coordinator-gateway.js';
import type { RunningGateway } from '../../src/gateway/point-gateway.js';
import { pointTopics, type PointStatus } from '../../src/protocol/index.js';
import { relayTopics } from '../../src/relay/messages.js';
import { EVIDENCE_COLUMNS } from '../../src/coordinator/evidence.js';
import { firstRunSetUp } from '../support/first-run.js';
import { until } from '../support/until.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Session = { cookie: string; csrf: string };
type Alert = { id: number; rule: string; state: string; conditionActive: boolean; value: number | boolean; acknowledgedBy: string | null; resolution: string | null; resolvedBy: string | null; note: string | null };

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'ns-coord-console-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const records: LogRecord[] = [];
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0));
  const creds = await CredentialStore.open(dir);
  const secret = await creds.issue({ username: coordinatorUsername('p1'), role: 'coordinator', point: 'p1' });
  const gw: RunningGateway = await startCoordinatorGateway(
    parseConfig({ role: 'coordinator', id: 'regio', name: 'Regio Noord', dataDir: dir, mqtt: { mode: 'embedded', port: 0 }, http: { port: 0 } }),
    { clock, log: createLogger('coord', { level: 'info', sink: (r) => records.push(r) }) },
  );
  cleanups.push(() => gw.stop());
  const point: MqttClient = await mqtt.connectAsync(gw.mqttUrl!, { username: coordinatorUsername('p1'), password: secret, clientId: 'test-p1' });
  cleanups.push(() => point.endAsync(true));
  const url = gw.httpUrl;

  const tech: Session = await firstRunSetUp(url, records);

  const call = async (s: Session | null, method: 'GET' | 'POST', path: string, body?: unknown, csrf = true) => {
    const headers: Record<string, string> = {};
    if (s) headers.cookie = s.cookie;
    if (s && csrf && method === 'POST') headers['x-noodsteun-csrf'] = s.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as { data: never; error?: string } };
  };
  const login = async (username: string, role: 'staff' | 'coordinator'): Promise<Session> => {
    expect((await call(tech, 'POST', '/api/users', { username, password: 'another long passphrase', role })).status).toBe(201);
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'another long passphrase' }) });
    expect(res.status).toBe(200);
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as { data: { csrf: string } }).data.csrf };
  };

  let seq = 0;
  const sendStatus = async (over: Partial<PointStatus>) => {
    const s: PointStatus = {
      v: 1,
      point: 'p1',
      name: 'Dorpshuis',
      seq: ++seq,
      ts: clock.now(),
      nodes: [],
      fuel: { litres: 30, pct: 50, status: 'ok' },
      battery: { v: 25.4, soc: 80, a: 3 },
      visitors: { inside: 12, entries: 40 + seq },
      charging: { portsOn: 2, ports: 8, watts: 24 },
      alarms: [],
      ...over,
    };
    await point.publishAsync(pointTopics.status('p1'), JSON.stringify(s), { qos: 1 });
    // Received once the overview shows this seq.
    await until(`status ${s.seq}`, async () => {
      const r = await call(tech, 'GET', '/api/points');
      return (r.body.data as { points: { status: { seq: number } | null }[] }).points[0]?.status?.seq === s.seq;
    });
  };
  const fuel = (pct: number) => ({ fuel: { litres: (pct / 100) * 60, pct, status: 'ok' } });
  return { url, clock, call, login, tech, sendStatus, fuel, point };
}

describe('coordinator console API on a running coordinator', () => {
  it('raises a low-fuel alert with hysteresis, pushes it live, keeps who acknowledged it, resolves it on refuel; refuses other callers', async () => {
    const { url, clock, call, login, tech, sendStatus, fuel } = await start();
    const live: { type: string; data: { changed?: Alert } }[] = [];
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/live`, { headers: { Cookie: tech.cookie } });
    cleanups.push(() => ws.terminate());
    ws.on('message', (m) => live.push(JSON.parse(String(m)) as (typeof live)[number]));
    await new Promise((r) => ws.once('open', r));

    await sendStatus(fuel(8));
    clock.advance(20_000);
    expect((await call(tech, 'GET', '/api/alerts')).body.data).toEqual({ alerts: [] }); // the 30 s delay has not passed
    await sendStatus(fuel(8));
    clock.advance(10_000);
    const open = (await call(tech, 'GET', '/api/alerts')).body.data as { alerts: Alert[] };
    expect(open.alerts).toHaveLength(1);
    expect(open.alerts[0]).toMatchObject({ rule: 'fuel-low', state: 'open', conditionActive: true, value: 8, severity: 'critical', pointName: 'Dorpshuis' });
    const id = open.alerts[0]!.id;
    await until('live alert', async () => live.find((m) => m.type === 'alerts' && m.data.changed?.id === id));

    // The overview counts it and ranks the point as urgent.
    const overview = (await call(tech, 'GET', '/api/points')).body.data as { points: { alerts: { open: number; critical: number }; urgency: number; link: string; online: boolean }[] };
    expect(overview.points[0]).toMatchObject({ alerts: { open: 1, critical: 1, unacknowledged: 1 }, link: 'mqtt', online: true });
    expect(overview.points[0]!.urgency).toBeGreaterThanOrEqual(500);

    // Who may do what.
    expect((await call(null, 'GET', '/api/alerts')).status).toBe(401);
    expect((await call(null, 'GET', '/api/points')).status).toBe(401); // point telemetry is for coordinators only
    // … and so are its live pushes: the socket is refused without a coordinator's session, opened with one
    const wsStatus = (cookie: string | null) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${url.replace('http', 'ws')}/api/live`, cookie ? { headers: { Cookie: cookie } } : {});
        ws.on('open', () => (ws.close(), resolve(101)));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
    expect(await wsStatus(null)).toBe(401);
    expect(await wsStatus(tech.cookie)).toBe(101);
    expect((await call(null, 'POST', '/api/alerts/ack', { id })).status).toBe(401);
    const staff = await login('balie', 'staff');
    expect((await call(staff, 'GET', '/api/alerts')).status).toBe(403);
    expect((await call(staff, 'GET', '/api/inbox')).status).toBe(403);
    expect((await call(staff, 'GET', '/api/evidence')).status).toBe(403);
    const coord = await login('coord', 'coordinator');
    expect((await call(coord, 'POST', '/api/alerts/ack', { id }, false)).status).toBe(403); // no CSRF header
    expect((await call(coord, 'POST', '/api/alerts/ack', { id: 'x' })).status).toBe(400);
    expect((await call(coord, 'POST', '/api/alerts/ack', { id: 999 })).status).toBe(404);

    const acked = await call(coord, 'POST', '/api/alerts/ack', { id });
    expect(acked.body.data).toMatchObject({ alert: { id, state: 'acknowledged', acknowledgedBy: 'coord', acknowledgedAt: clock.now() } });

    // 12 % is above the raise level but below the clear level: the alert stays.
    await sendStatus(fuel(12));
    clock.advance(30_000);
    await sendStatus(fuel(12));
    clock.advance(30_000);
    expect(((await call(coord, 'GET', '/api/alerts')).body.data as { alerts: Alert[] }).alerts.map((a) => [a.id, a.state])).toEqual([[id, 'acknowledged']]);

    // Refuelled: above 15 % for 30 s closes it by itself.
    await sendStatus(fuel(70));
    clock.advance(10_000);
    expect(((await call(coord, 'GET', '/api/alerts')).body.data as { alerts: Alert[] }).alerts).toHaveLength(1);
    clock.advance(20_000);
    expect(((await call(coord, 'GET', '/api/alerts')).body.data as { alerts: Alert[] }).alerts).toHaveLength(0);
    const all = ((await call(coord, 'GET', '/api/alerts?state=all')).body.data as { alerts: Alert[] }).alerts;
    expect(all[0]).toMatchObject({ id, state: 'resolved', resolution: 'auto', resolvedBy: null, conditionActive: false, acknowledgedBy: 'coord' });
    expect((await call(coord, 'POST', '/api/alerts/ack', { id })).status).toBe(409);

    // Low again → a new alert; resolved by hand while the tank is still low: not raised again meanwhile.
    await sendStatus(fuel(5));
    clock.advance(30_000);
    const second = ((await call(coord, 'GET', '/api/alerts')).body.data as { alerts: Alert[] }).alerts;
    expect(second.map((a) => a.rule)).toEqual(['fuel-low']);
    expect(second[0]!.id).not.toBe(id);
    const resolved = await call(coord, 'POST', '/api/alerts/resolve', { id: second[0]!.id, note: 'tankwagen onderweg' });
    expect(resolved.body.data).toMatchObject({ alert: { state: 'resolved', resolution: 'manual', resolvedBy: 'coord', note: 'tankwagen onderweg', conditionActive: true } });
    await sendStatus(fuel(5));
    clock.advance(60_000);
    expect(((await call(coord, 'GET', '/api/alerts')).body.data as { alerts: Alert[] }).alerts).toHaveLength(0);

    // The point falls silent: 3 missed 60-s reports over MQTT.
    clock.advance(3 * 60_000 + 10_000);
    const silent = ((await call(coord, 'GET', '/api/alerts')).body.data as { alerts: Alert[] }).alerts;
    expect(silent.map((a) => a.rule)).toEqual(['point-silent']);
    const after = (await call(coord, 'GET', '/api/points')).body.data as { points: { online: boolean }[] };
    expect(after.points[0]!.online).toBe(false);
  });

  it('serves chart series, the inbox in triage order (acknowledged to the point), CAP drafts, templates, previews and evidence', async () => {
    const { url, clock, call, tech, sendStatus, fuel, point } = await start();
    const sent: number[] = [];
    for (const pct of [60, 59, 58, 57, 56, 55]) {
      await sendStatus({ ...fuel(pct), chargingStats: { policy: 'budget', stage: 'normal', queue: 0, sessionsToday: sent.length * 2, servedToday: 0, energyWhToday: sent.length * 10, refusedNoPowerToday: 0 } });
      sent.push(pct);
      clock.advance(60_000);
    }
    const detail = (await call(tech, 'GET', '/api/points/detail?point=p1&hours=1')).body.data as {
      resolution: string;
      series: { t: number[]; fuelPct: (number | null)[]; fuelL: (number | null)[]; batterySoc: (number | null)[]; visitorsInside: (number | null)[] };
      charging: { sessionsToday: number } | null;
      point: { forecast: { unit: string } | null };
    };
    expect(detail.resolution).toBe('raw');
    expect(detail.series.fuelPct).toEqual(sent);
    expect(detail.series.t).toHaveLength(sent.length);
    expect(detail.series.t.every((t, i) => i === 0 || t > detail.series.t[i - 1]!)).toBe(true);
    expect(detail.series.batterySoc).toEqual(sent.map(() => 80));
    expect(detail.series.visitorsInside).toEqual(sent.map(() => 12));
    expect(detail.charging).toMatchObject({ sessionsToday: 10 });
    expect(detail.point.forecast).toMatchObject({ unit: 'l' });
    // Thinned to maxPoints by averaging.
    const thin = (await call(tech, 'GET', '/api/points/detail?point=p1&hours=1&maxPoints=50')).body.data as { series: { t: number[] } };
    expect(thin.series.t.length).toBeLessThanOrEqual(50);
    expect((await call(tech, 'GET', '/api/points/detail?point=nope&hours=1')).status).toBe(404);
    expect((await call(tech, 'GET', '/api/points/detail?point=p1&hours=0')).status).toBe(400);

    // Reports relayed over the IP path, arriving needs, safe, emergency: the inbox shows the emergency first.
    const acks: number[] = [];
    point.on('message', (topic, payload) => {
      if (topic === relayTopics.ack('p1')) acks.push(...(JSON.parse(payload.toString('utf8')) as { refs: number[] }).refs);
    });
    await point.subscribeAsync(relayTopics.ack('p1'), { qos: 1 });
    const relay = (ref: number, seq: number, kind: string, body: unknown) =>
      point.publishAsync(relayTopics.msg('p1'), JSON.stringify({ v: 1, point: 'p1', ref, seq, kind, created: clock.now(), body }), { qos: 1 });
    await relay(1, 0, 'needs', { needs: [{ category: 'water', severity: 'high', people: 12 }, { category: 'medication', severity: 'critical', people: 1 }] });
    await relay(2, 1, 'safe', { people: 3, postcode: '9401 AB', houseNumber: 12, name: 'Fam. de Vries' });
    await relay(3, 2, 'emergency', { type: 'medical', severity: 'critical', people: 1, note: 'Kerkstraat 4, man onwel' });
    await until('three acks to the point', async () => acks.length === 3);
    expect(acks.sort()).toEqual([1, 2, 3]);
    const inbox = (await call(tech, 'GET', '/api/inbox')).body.data as { messages: { id: string; kind: string; readAt: number | null; handledBy: string | null; delivered: boolean; body: { note?: string } }[]; counts: Record<string, { unread: number; unhandled: number; total: number }> };
    expect(inbox.messages.map((m) => m.kind)).toEqual(['emergency', 'needs', 'safe']);
    expect(inbox.messages[0]).toMatchObject({ id: 'p1:2', delivered: true, readAt: null, body: { note: 'Kerkstraat 4, man onwel', type: 'medical' } });
    expect(inbox.counts.emergency).toEqual({ total: 1, unread: 1, unhandled: 1 });

    expect((await call(tech, 'POST', '/api/inbox/read', { point: 'p1', seq: 2 })).body.data).toMatchObject({ message: { readBy: 'tech', handledAt: null } });
    expect((await call(tech, 'POST', '/api/inbox/handled', { point: 'p1', seq: 2 })).body.data).toMatchObject({ message: { handledBy: 'tech', readBy: 'tech' } });
    expect((await call(tech, 'POST', '/api/inbox/handled', { point: 'p1', seq: 9 })).status).toBe(404);
    const unhandled = (await call(tech, 'GET', '/api/inbox?state=unhandled')).body.data as { messages: { kind: string }[]; counts: Record<string, { unhandled: number }> };
    expect(unhandled.messages.map((m) => m.kind)).toEqual(['needs', 'safe']);
    expect(unhandled.counts.emergency!.unhandled).toBe(0);

    // CAP 1.2 import through the route: a draft of valid board content.
    const xml = readFileSync(join(import.meta.dirname, '..', 'coordinator', 'fixtures', 'cap', 'cap12-spec-a2-severe-thunderstorm.xml'), 'utf8');
    const capUrl = '/api/broadcasts/cap?name=Dorpshuis';
    const cap = await fetch(`${url}${capUrl}`, { method: 'POST', headers: { cookie: tech.cookie, 'x-noodsteun-csrf': tech.csrf, 'content-type': 'application/xml' }, body: xml });
    expect(cap.status).toBe(200);
    const draft = ((await cap.json()) as { data: { draft: { kind: string; content: unknown; warnings: string[] } } }).data.draft;
    expect(draft.kind).toBe('draft');
    expect(parseBoardContent(draft.content)).toMatchObject({ point: { name: 'Dorpshuis' }, languages: ['nl', 'en'] });
    const notCap = await fetch(`${url}${capUrl}`, { method: 'POST', headers: { cookie: tech.cookie, 'x-noodsteun-csrf': tech.csrf, 'content-type': 'application/xml' }, body: '<alert><x/></alert>' });
    expect(notCap.status).toBe(400);
    const wrongType = await fetch(`${url}${capUrl}`, { method: 'POST', headers: { cookie: tech.cookie, 'x-noodsteun-csrf': tech.csrf, 'content-type': 'text/plain' }, body: xml });
    expect(wrongType.status).toBe(415);

    // Templates are valid content; the preview renders the 7.5″ panel's frame.
    const templates = (await call(tech, 'GET', '/api/broadcasts/templates')).body.data as { templates: { id: string; content: unknown; placeholders: string[] }[] };
    expect(templates.templates.map((t) => t.id)).toEqual(['power-outage-update', 'water-distribution', 'shelter-open', 'all-clear']);
    const preview = await call(tech, 'POST', '/api/broadcasts/preview', { content: templates.templates[2]!.content, panels: ['waveshare-7in5-v2'] });
    expect(preview.status).toBe(200);
    const shot = (preview.body.data as { previews: { panel: string; width: number; height: number; png: string; pages: number }[] }).previews;
    expect(shot.map((p) => p.panel)).toEqual(['waveshare-7in5-v2']);
    const frame = decodePng(Buffer.from(shot[0]!.png.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect([frame.width, frame.height, shot[0]!.width, shot[0]!.height]).toEqual([800, 480, 800, 480]);
    expect(frame.data.some((b) => b !== 0) && frame.data.some((b) => b !== 0xff)).toBe(true); // not a blank frame
    expect((await call(tech, 'POST', '/api/broadcasts/preview', { content: templates.templates[2]!.content, panels: ['nope'] })).status).toBe(400);
    expect((await call(tech, 'POST', '/api/broadcasts/preview', { content: { point: { name: 'x' } } })).status).toBe(400);

    // Evidence: one hour row for p1 with what was sent, in Dutch time unless asked otherwise.
    const ev = (await call(tech, 'GET', '/api/evidence?period=hour')).body.data as { columns: string[]; rows: (string | number | null)[][]; csv: string; filename: string };
    expect(ev.columns).toEqual([...EVIDENCE_COLUMNS]);
    expect(ev.rows).toHaveLength(1);
    const row = Object.fromEntries(ev.columns.map((c, i) => [c, ev.rows[0]![i]]));
    expect(row).toMatchObject({ point: 'p1', period_start: '2026-11-27T10:00:00+01:00', period_end: '2026-11-27T11:00:00+01:00', statuses: 6, visitors_entries: 5, visitors_inside_max: 12, charging_sessions: 10, charging_energy_wh: 50, messages_emergency: 1, messages_needs: 1, messages_safe: 1, needs_water: 1, needs_medication: 1, needs_food: 0 });
    expect(ev.csv.split('\r\n')[0]).toBe(EVIDENCE_COLUMNS.join(','));
    expect(ev.csv).not.toMatch(/Vries|Kerkstraat|9401/);
    expect((await call(tech, 'GET', '/api/evidence?from=yesterday')).status).toBe(400);
    expect((await call(tech, 'GET', '/api/evidence?tz=Mars/Olympus')).status).toBe(400);
    const utc = (await call(tech, 'GET', '/api/evidence?period=day&tz=UTC&from=2026-11-27&to=2026-11-28')).body.data as typeof ev;
    expect(utc.rows.map((r) => [r[1], r[2]])).toEqual([['2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z']]);
    // A calendar date is local midnight in the zone: the day from 27 November 00:00 Dutch time.
    const nl = (await call(tech, 'GET', '/api/evidence?period=day&from=2026-11-27&to=2026-11-28')).body.data as typeof ev;
    expect(nl.rows.map((r) => [r[1], r[2], r[3]])).toEqual([['2026-11-27T00:00:00+01:00', '2026-11-28T00:00:00+01:00', 6]]);
  }, 60_000);
});
