// The checks of each commissioning step on the real (or simulated) hardware. Each records its measurement
// on the gateway; the technician still gives the verdict.
import { useEffect, useState } from 'preact/hooks';
import type { I18n } from '../../../lib/i18n/i18n.js';
import type { CommissioningState, DiscoveredNode, Measurement, PortReading, TechnicianApi } from '../../../lib/api/technician.js';
import type { TechT } from '../../../lib/i18n/tables/technician.js';
import { Msg, Scroll, parseConfigValue, useAction } from './ui.js';
import { BoardTools } from './BoardTestTools.js';
import { LoraTools } from './LoraCheck.js';
import { FirmwareTable, type FirmwareRow } from './FirmwareFlash.js';

interface Props {
  step: string;
  state: CommissioningState;
  api: TechnicianApi;
  t: TechT;
  i18n: I18n;
  onMeasured: () => void;
}

export function StepTools(props: Props) {
  switch (props.step) {
    case 'nodes':
      return <NodesTools {...props} />;
    case 'fuel':
      return <FuelTools {...props} />;
    case 'charging':
      return <ChargingTools {...props} />;
    case 'board':
      return <BoardTools {...props} />;
    case 'lora':
      return <LoraTools {...props} />;
    case 'battery':
    case 'visitors':
    case 'power-budget':
    case 'gateway':
      return <OneCheck {...props} label={props.t('measure')} action="measure" run={() => props.api.measure(props.step)} hint={props.t(props.step === 'gateway' ? 'measure.gateway' : 'measure.hint')} />;
    default:
      return <p>{props.t('manualStep')}</p>;
  }
}

function OneCheck({ t, onMeasured, label, action, run, hint }: Props & { label: string; action: string; run: () => Promise<Measurement>; hint: string }) {
  const [last, setLast] = useState<Measurement | null>(null);
  const a = useAction(async () => {
    setLast(await run());
    onMeasured();
  });
  return (
    <div>
      <p>{hint}</p>
      <div class="nc-actions">
        <button type="button" class="nc-button" data-action={action} disabled={a.busy} onClick={() => void a.run()}>
          {a.busy ? t('busy') : label}
        </button>
      </div>
      <Msg tone="bad" text={a.error} />
      {last && <Msg tone={last.ok === false ? 'warn' : 'ok'} text={last.ok === false ? t('checkNotOk') : t('checkDone')} />}
    </div>
  );
}

function NodeTable({ t, i18n, nodes }: { t: TechT; i18n: I18n; nodes: DiscoveredNode[] }) {
  return (
    <Scroll label={t('nodes.caption')}>
      <table class="nc-table" data-table="discovered">
        <caption>{t('nodes.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.node')}</th>
            <th scope="col">{t('col.kind')}</th>
            <th scope="col">{t('col.configured')}</th>
            <th scope="col">{t('col.link')}</th>
            <th scope="col">{t('col.state')}</th>
            <th scope="col">{t('col.fw')}</th>
            <th scope="col">{t('col.lastSeen')}</th>
            <th scope="col">{t('col.mem')}</th>
            <th scope="col">{t('col.flags')}</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.id} data-node={n.id}>
              <th scope="row">
                <code>{n.id}</code>
              </th>
              <td>{n.kind ?? t('unknown')}</td>
              <td>{n.expected ? t('yes') : t('notConfigured')}</td>
              <td>{n.link ?? t('unknown')}</td>
              <td>{n.online ? t('online') : t('offline')}</td>
              <td>{n.fw ?? t('unknown')}</td>
              <td>{n.lastSeen ? new Date(n.lastSeen).toLocaleTimeString(i18n.locale()) : t('never')}</td>
              <td>{n.heartbeat?.mem ?? t('unknown')}</td>
              <td>{n.heartbeat?.flags.join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function NodesTools({ state, api, t, i18n, onMeasured }: Props) {
  const [nodes, setNodes] = useState<DiscoveredNode[]>(state.nodes);
  const [fw, setFw] = useState<Measurement | null>(null);
  const [node, setNode] = useState(state.nodes[0]?.id ?? '');
  const [key, setKey] = useState('hbSec');
  const [value, setValue] = useState('');
  const [result, setResult] = useState<Measurement | null>(null);
  const discover = useAction(async () => {
    await api.discover();
    setNodes((await api.state()).nodes);
    onMeasured();
  });
  const verify = useAction(async () => {
    setFw(await api.firmware());
    onMeasured();
  });
  const configure = useAction(async () => {
    setResult(await api.configure(node, { [key.trim()]: parseConfigValue(value) }));
    onMeasured();
  });
  const fwRows = (fw?.value.nodes ?? []) as FirmwareRow[];
  return (
    <div>
      <div class="nc-actions">
        <button type="button" class="nc-button" data-action="discover" disabled={discover.busy} onClick={() => void discover.run()}>
          {t('nodes.discover')}
        </button>
        <button type="button" class="nc-button" data-action="firmware" disabled={verify.busy} onClick={() => void verify.run()}>
          {t('nodes.verify')}
        </button>
      </div>
      <Msg tone="bad" text={discover.error ?? verify.error} />
      <NodeTable t={t} i18n={i18n} nodes={nodes} />
      {fw && <FirmwareTable t={t} api={api} rows={fwRows} nodes={nodes} onFlashed={() => void verify.run()} />}
      <p>{t('fw.flashHint')}</p>
      <pre class="tc-pre">npx noodsteun firmware flash --node &lt;fuel|battery|visitors|charger&gt; --port /dev/ttyUSB0</pre>
      <fieldset class="nc-fieldset">
        <legend class="nc-legend">{t('config.title')}</legend>
        <p>{t('config.hint')}</p>
        <div class="tc-row">
          <label>
            {t('col.node')}
            <select value={node} onChange={(e) => setNode(e.currentTarget.value)} data-field="config-node">
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.id}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('config.key')}
            <input value={key} onInput={(e) => setKey(e.currentTarget.value)} data-field="config-key" maxLength={32} />
          </label>
          <label>
            {t('config.value')}
            <input value={value} onInput={(e) => setValue(e.currentTarget.value)} data-field="config-value" maxLength={64} />
          </label>
          <button type="button" class="nc-button" data-action="configure" disabled={configure.busy || !node || !key.trim() || !value.trim()} onClick={() => void configure.run()}>
            {t('config.send')}
          </button>
        </div>
        <Msg tone="bad" text={configure.error} />
        {result && <Msg tone={result.ok ? 'ok' : 'bad'} text={result.ok ? t('config.ok') : t('config.refused', { error: String(result.value.error ?? '') })} />}
      </fieldset>
    </div>
  );
}

function FuelTools({ state, api, t, onMeasured }: Props) {
  const fuel = state.fuel;
  const [node, setNode] = useState(fuel[0]?.id ?? '');
  const [depth, setDepth] = useState('600');
  const [rows, setRows] = useState<{ mm: string; litres: string }[]>([
    { mm: '0', litres: '0' },
    { mm: '', litres: '' },
  ]);
  const [sent, setSent] = useState<Measurement | null>(null);
  const [check, setCheck] = useState<Measurement | null>(null);
  const [waiting, setWaiting] = useState(false);
  const reading = fuel.find((f) => f.id === node)?.reading?.body ?? null;
  const currentMm = reading?.rawMm != null && Number(depth) > 0 ? Number(depth) - reading.rawMm : null;
  const send = useAction(async () => {
    const table = rows.filter((r) => r.mm.trim() !== '' && r.litres.trim() !== '').map((r) => ({ mm: Number(r.mm), litres: Number(r.litres) }));
    setCheck(null);
    setSent(await api.calibrateFuel(node, Number(depth), table));
    onMeasured();
  });
  const verify = useAction(async () => {
    setWaiting(true);
    try {
      // The node reports every report period (30 s by default): wait for the first reading after the change.
      for (let i = 0; i < 60; i++) {
        const r = await api.fuelCheck(node);
        if (!('waiting' in r)) {
          setCheck(r);
          onMeasured();
          return;
        }
        await new Promise((res) => setTimeout(res, 3000));
      }
      throw new Error(t('fuel.noReading'));
    } finally {
      setWaiting(false);
    }
  });
  const set = (i: number, field: 'mm' | 'litres', v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [field]: v } : r)));
  if (!fuel.length) return <p>{t('fuel.none')}</p>;
  return (
    <div>
      <p>{t('fuel.hint')}</p>
      <div class="tc-row">
        <label>
          {t('col.node')}
          <select value={node} onChange={(e) => setNode(e.currentTarget.value)} data-field="fuel-node">
            {fuel.map((f) => (
              <option key={f.id} value={f.id}>
                {f.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('fuel.depth')}
          <input type="number" min={50} max={5000} value={depth} onInput={(e) => setDepth(e.currentTarget.value)} data-field="fuel-depth" />
        </label>
      </div>
      <p data-fuel-now>
        {t('fuel.now', {
          raw: reading?.rawMm ?? t('unknown'),
          level: currentMm ?? t('unknown'),
          litres: reading?.litres ?? t('unknown'),
        })}
      </p>
      <table class="nc-table" data-table="shape">
        <caption>{t('fuel.table')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('fuel.mm')}</th>
            <th scope="col">{t('fuel.litres')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">{i + 1}</th>
              <td>
                <input type="number" min={0} aria-label={t('fuel.mmN', { n: i + 1 })} value={r.mm} onInput={(e) => set(i, 'mm', e.currentTarget.value)} data-field={`fuel-mm-${i}`} />
              </td>
              <td>
                <input type="number" min={0} step="0.1" aria-label={t('fuel.litresN', { n: i + 1 })} value={r.litres} onInput={(e) => set(i, 'litres', e.currentTarget.value)} data-field={`fuel-litres-${i}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="nc-actions">
        <button type="button" class="nc-button nc-button--quiet tc-inline" disabled={rows.length >= 12} onClick={() => setRows([...rows, { mm: '', litres: '' }])}>
          {t('fuel.addRow')}
        </button>
        <button
          type="button"
          class="nc-button nc-button--quiet tc-inline"
          data-action="fuel-current"
          disabled={currentMm === null || rows.length >= 12}
          onClick={() => setRows([...rows.filter((r) => r.mm.trim() !== '' || r.litres.trim() !== ''), { mm: String(currentMm), litres: '' }])}
        >
          {t('fuel.useCurrent')}
        </button>
        <button type="button" class="nc-button" data-action="fuel-send" disabled={send.busy || !node} onClick={() => void send.run()}>
          {t('fuel.send')}
        </button>
        <button type="button" class="nc-button" data-action="fuel-check" disabled={!sent?.ok || verify.busy} onClick={() => void verify.run()}>
          {waiting ? t('fuel.waiting') : t('fuel.check')}
        </button>
      </div>
      <Msg tone="bad" text={send.error ?? verify.error} />
      {sent && <Msg tone={sent.ok ? 'ok' : 'bad'} text={sent.ok ? t('fuel.sent') : t('config.refused', { error: String(sent.value.error ?? '') })} />}
      {check && (
        <Msg
          tone={check.ok ? 'ok' : 'warn'}
          text={t('fuel.result', { reported: String(check.value.reportedLitres ?? t('unknown')), expected: String(check.value.expectedLitres ?? t('unknown')) })}
        />
      )}
    </div>
  );
}

function ChargingTools({ state, api, t, onMeasured }: Props) {
  const ports = state.charging?.ports ?? 0;
  const [active, setActive] = useState<number | null>(null);
  const [reading, setReading] = useState<PortReading | null>(null);
  const [results, setResults] = useState<Record<number, Measurement>>({});
  const on = useAction(async (p: number) => {
    const r = await api.portOn(p);
    if (!r.ok) throw new Error(t('port.notSwitched', { error: r.error ?? '' }));
    setReading(null);
    setActive(p);
  });
  const off = useAction(async (confirmed: boolean) => {
    if (active === null) return;
    const m = await api.portOff(active, confirmed);
    setResults({ ...results, [active]: m });
    setActive(null);
    onMeasured();
  });
  useEffect(() => {
    if (active === null) return;
    let stop = false;
    const poll = async () => {
      while (!stop) {
        try {
          setReading(await api.portReading(active));
        } catch {
          // the next poll tries again
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [active]);
  if (!state.charging) return <p>{t('port.none')}</p>;
  return (
    <div>
      <p>{t('port.hint')}</p>
      <ul class="tc-ports">
        {Array.from({ length: ports }, (_, p) => (
          <li key={p} data-port={p} data-port-result={results[p] ? String(results[p].ok) : 'none'}>
            {t('port.n', { n: p + 1 })}:{' '}
            {results[p] ? t('port.result', { mA: String(results[p].value.measuredMa ?? t('unknown')), ok: results[p].ok ? t('checkOk') : t('checkNotOk') }) : t('port.untested')}{' '}
            <button type="button" class="nc-button tc-inline" data-action={`port-on-${p}`} disabled={active !== null || on.busy} onClick={() => void on.run(p)}>
              {t('port.on', { n: p + 1 })}
            </button>
          </li>
        ))}
      </ul>
      <Msg tone="bad" text={on.error ?? off.error} />
      {active !== null && (
        <div class="nc-fieldset" data-port-active={active}>
          <p role="status" data-port-reading={reading?.fresh ? 'fresh' : 'waiting'}>
            {reading?.fresh
              ? t('port.reading', { n: active + 1, mA: reading.mA ?? t('unknown'), state: reading.on ? t('port.isOn') : t('port.isOff') })
              : t('port.waiting', { n: active + 1 })}
          </p>
          <div class="nc-actions">
            <button type="button" class="nc-button" data-action="port-works" disabled={off.busy || !reading?.fresh} onClick={() => void off.run(true)}>
              {t('port.works')}
            </button>
            <button type="button" class="nc-button nc-button--danger" data-action="port-broken" disabled={off.busy} onClick={() => void off.run(false)}>
              {t('port.broken')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
