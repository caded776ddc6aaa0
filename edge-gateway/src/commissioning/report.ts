// The commissioning report: every step with the technician's verdict and every measured value, who did
// it and when. JSON for machines, Markdown for the hand-over folder.
import type { StepDef, StepStatus } from './steps.js';
import type { Measurement, RunRow, StepRecord } from './store.js';

export interface CommissioningReport {
  format: 'noodsteun-commissioning-report/1';
  point: { id: string; name: string };
  run: RunRow;
  generatedAt: number;
  summary: Record<StepStatus, number>;
  steps: Array<StepRecord & { nl: string; en: string; measurements: Measurement[] }>;
}

export function buildReport(point: { id: string; name: string }, run: RunRow, defs: readonly StepDef[], steps: readonly StepRecord[], ms: readonly Measurement[], now: number): CommissioningReport {
  const summary: Record<StepStatus, number> = { open: 0, passed: 0, failed: 0, skipped: 0 };
  const out = defs.map((d) => {
    const s = steps.find((x) => x.step === d.id) ?? { step: d.id, status: 'open' as const, note: null, decidedAt: null, decidedBy: null };
    summary[s.status]++;
    return { ...s, nl: d.nl, en: d.en, measurements: ms.filter((m) => m.step === d.id) };
  });
  return { format: 'noodsteun-commissioning-report/1', point, run, generatedAt: now, summary, steps: out };
}

const iso = (t: number | null) => (t === null ? '—' : new Date(t).toISOString().replace('.000Z', 'Z'));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(r: CommissioningReport): string {
  const lines = [
    `# Opleveringsrapport / Commissioning report — ${r.point.name} (${r.point.id})`,
    '',
    `- Run ${r.run.id}: started ${iso(r.run.startedAt)} by ${r.run.startedBy}; finished ${iso(r.run.finishedAt)}${r.run.finishedBy ? ` by ${r.run.finishedBy}` : ''}`,
    `- Generated ${iso(r.generatedAt)}`,
    `- Steps: ${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped, ${r.summary.open} open`,
    '',
    '| # | step | result | note | by | when |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.steps.map((s, i) => `| ${i + 1} | ${cell(s.nl)} / ${cell(s.en)} (\`${s.step}\`) | ${s.status} | ${cell(s.note ?? '')} | ${s.decidedBy ?? ''} | ${iso(s.decidedAt)} |`),
  ];
  for (const s of r.steps) {
    if (!s.measurements.length) continue;
    lines.push('', `## ${s.en} (\`${s.step}\`)`, '');
    for (const m of s.measurements) {
      const verdict = m.ok === null ? '' : m.ok ? ' — ok' : ' — NOT OK';
      lines.push(`- ${iso(m.at)} ${m.what}${verdict} (${m.by})`, '', '  ```json', ...JSON.stringify(m.value, null, 2).split('\n').map((l) => '  ' + l), '  ```');
    }
  }
  return lines.join('\n') + '\n';
}
