// The commissioning wizard: the steps of hardware/commissioning-steps.json down the side, the current step
// with its checks on the hardware, what they measured, and the technician's verdict. The run lives on the
// gateway, so a reload or a restart resumes it.
import { useEffect, useState } from 'preact/hooks';
import type { I18n } from '../../../lib/i18n/i18n.js';
import type { CommissioningState, RunView, StepStatus, TechnicianApi } from '../../../lib/api/technician.js';
import type { TechT } from '../../../lib/i18n/tables/technician.js';
import { reasonOf } from '../../../lib/api/client.js';
import { StepTools } from './StepTools.js';
import { Msg, MeasurementList, useAction } from './ui.js';

interface Props {
  api: TechnicianApi;
  t: TechT;
  i18n: I18n;
}

export function Wizard({ api, t, i18n }: Props) {
  const [state, setState] = useState<CommissioningState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);

  const reload = async () => {
    try {
      const s = await api.state();
      setState(s);
      setError(null);
      return s;
    } catch (err) {
      setError(reasonOf(err));
      return null;
    }
  };
  useEffect(() => {
    void reload().then((s) => {
      const open = s?.run?.steps.find((x) => x.status === 'open');
      if (open) setCurrent(open.step);
    });
  }, []);

  const start = useAction(async () => {
    const v = await api.start();
    setSaved(null);
    await reload();
    setCurrent(v.steps.find((x) => x.status === 'open')?.step ?? v.steps[0]?.step ?? null);
  });
  const finish = useAction(async () => {
    const r = await api.finish();
    setSaved(r.run.id);
    await reload();
  });

  if (!state) return <p role="status">{error ?? t('loading')}</p>;
  const run = state.run;
  const label = (s: { nl: string; en: string }) => (i18n.lang.value === 'nl' ? s.nl : s.en);

  return (
    <div>
      <Msg tone="bad" text={error} />
      {saved !== null && <SavedReport api={api} t={t} id={saved} />}
      {!run ? (
        <div class="nc-panel">
          <p>{t('noRun')}</p>
          <div class="nc-actions">
            <button type="button" class="nc-button" data-action="start" onClick={() => void start.run()} disabled={start.busy}>
              {t('start')}
            </button>
          </div>
          <Msg tone="bad" text={start.error} />
          <PastRuns api={api} t={t} i18n={i18n} runs={state.runs} />
        </div>
      ) : (
        <RunScreen
          run={run}
          state={state}
          current={current ?? run.steps[0]?.step ?? ''}
          setCurrent={setCurrent}
          api={api}
          t={t}
          i18n={i18n}
          label={label}
          onChange={() => void reload()}
          finish={finish}
        />
      )}
    </div>
  );
}

function RunScreen(props: {
  run: RunView;
  state: CommissioningState;
  current: string;
  setCurrent: (s: string) => void;
  api: TechnicianApi;
  t: TechT;
  i18n: I18n;
  label: (s: { nl: string; en: string }) => string;
  onChange: () => void;
  finish: ReturnType<typeof useAction>;
}) {
  const { run, state, current, setCurrent, api, t, i18n, label, onChange, finish } = props;
  const steps = run.steps;
  const index = Math.max(0, steps.findIndex((s) => s.step === current));
  const step = steps[index];
  const open = steps.filter((s) => s.status === 'open').length;
  if (!step) return null;
  const measurements = run.measurements.filter((m) => m.step === step.step);
  return (
    <div>
      <p>
        {t('runInfo', { id: run.run.id, by: run.run.startedBy, time: new Date(run.run.startedAt).toLocaleString(i18n.locale()) })}{' '}
        <span role="status">{t('openCount', { n: open, total: steps.length })}</span>
      </p>
      <div class="tc-layout">
        <nav aria-label={t('steps')}>
          <ol class="tc-steps">
            {steps.map((s, i) => (
              <li key={s.step}>
                <button type="button" data-step={s.step} aria-current={s.step === step.step ? 'step' : undefined} onClick={() => setCurrent(s.step)}>
                  <span>
                    {i + 1}. {label(s)}
                  </span>
                  <span class="tc-status" data-status={s.status}>
                    {t(`status.${s.status}`)}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <div class="nc-panel" data-current-step={step.step}>
          <h3 id="tc-step-title">
            {t('stepN', { n: index + 1, total: steps.length })}: {label(step)}
          </h3>
          <p class="tc-status" data-status={step.status}>
            {t(`status.${step.status}`)}
            {step.decidedBy ? ` — ${step.decidedBy}` : ''}
            {step.note ? `: ${step.note}` : ''}
          </p>
          <StepTools step={step.step} state={state} api={api} t={t} i18n={i18n} onMeasured={onChange} />
          <h4>{t('measured')}</h4>
          <MeasurementList t={t} i18n={i18n} items={measurements} />
          <Verdict
            key={step.step}
            api={api}
            t={t}
            step={step.step}
            onDone={(next: StepStatus) => {
              onChange();
              const after = steps.slice(index + 1).find((s) => s.status === 'open') ?? steps.find((s, i) => i !== index && s.status === 'open');
              if (next !== 'open' && after) setCurrent(after.step);
            }}
          />
        </div>
      </div>
      <div class="nc-panel">
        <h3>{t('finishTitle')}</h3>
        <p>{open > 0 ? t('finishOpen', { n: open }) : t('finishReady')}</p>
        <div class="nc-actions">
          <button type="button" class="nc-button" data-action="finish" disabled={open > 0 || finish.busy} onClick={() => void finish.run()}>
            {t('finish')}
          </button>
        </div>
        <Msg tone="bad" text={finish.error} />
      </div>
    </div>
  );
}

function Verdict({ api, t, step, onDone }: { api: TechnicianApi; t: TechT; step: string; onDone: (s: StepStatus) => void }) {
  const [note, setNote] = useState('');
  const decide = useAction(async (status: StepStatus) => {
    await api.decide(step, status, note.trim() || undefined);
    setNote('');
    onDone(status);
  });
  const id = `tc-note-${step}`;
  return (
    <fieldset class="nc-fieldset">
      <legend class="nc-legend">{t('verdict')}</legend>
      <div class="nc-form">
        <label for={id}>{t('note')}</label>
        <textarea id={id} value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <div class="nc-actions">
        <button type="button" class="nc-button" data-verdict="passed" disabled={decide.busy} onClick={() => void decide.run('passed')}>
          {t('pass')}
        </button>
        <button type="button" class="nc-button nc-button--danger" data-verdict="failed" disabled={decide.busy} onClick={() => void decide.run('failed')}>
          {t('fail')}
        </button>
        <button type="button" class="nc-button" data-verdict="skipped" disabled={decide.busy} onClick={() => void decide.run('skipped')}>
          {t('skip')}
        </button>
      </div>
      <Msg tone="bad" text={decide.error} />
    </fieldset>
  );
}

/** Download links for a saved report, as Markdown and as JSON (made from the gateway's answer). */
function SavedReport({ api, t, id }: { api: TechnicianApi; t: TechT; id: number }) {
  const [links, setLinks] = useState<{ md: string; json: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let urls: string[] = [];
    void Promise.all([api.reportMarkdown(id), api.reportJson(id)])
      .then(([md, json]) => {
        urls = [URL.createObjectURL(new Blob([md.markdown], { type: 'text/markdown' })), URL.createObjectURL(new Blob([JSON.stringify(json, null, 2)], { type: 'application/json' }))];
        setLinks({ md: urls[0]!, json: urls[1]! });
      })
      .catch((err: unknown) => setError(reasonOf(err)));
    return () => urls.forEach((u) => URL.revokeObjectURL(u));
  }, [id]);
  return (
    <div class="nc-msg" data-tone="ok" role="status" data-report={id}>
      <p>{t('saved', { id })}</p>
      {links && (
        <p class="nc-actions">
          <a class="nc-link" href={links.md} download={`commissioning-report-${id}.md`} data-download="md">
            {t('downloadMd')}
          </a>
          <a class="nc-link" href={links.json} download={`commissioning-report-${id}.json`} data-download="json">
            {t('downloadJson')}
          </a>
        </p>
      )}
      <Msg tone="bad" text={error} />
    </div>
  );
}

function PastRuns({ api, t, i18n, runs }: { api: TechnicianApi; t: TechT; i18n: I18n; runs: CommissioningState['runs'] }) {
  const [shown, setShown] = useState<number | null>(null);
  const done = runs.filter((r) => r.finishedAt !== null);
  if (!done.length) return null;
  return (
    <div>
      <h3>{t('pastRuns')}</h3>
      <ul>
        {done.map((r) => (
          <li key={r.id}>
            {t('pastRun', { id: r.id, by: r.finishedBy ?? r.startedBy, time: new Date(r.finishedAt ?? r.startedAt).toLocaleString(i18n.locale()) })}{' '}
            <button type="button" class="nc-button nc-button--quiet tc-inline" onClick={() => setShown(r.id)}>
              {t('report')}
            </button>
          </li>
        ))}
      </ul>
      {shown !== null && <SavedReport api={api} t={t} id={shown} />}
    </div>
  );
}
