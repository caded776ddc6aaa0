// One time-series chart drawn with uPlot. uPlot (and its CSS) load on first use, in their own chunk, so
// neither the resident bundle nor the console's overview carries them. The figure caption states the
// numbers in words for screen readers; the canvas itself is decoration for them.
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';

let uplotModule: Promise<typeof uPlot> | null = null;
export function loadUplot(): Promise<typeof uPlot> {
  uplotModule ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return uplotModule;
}

export function Chart(props: { id: string; label: string; summary: string; data: [number[], (number | null)[]]; color: string; locale: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const { data, label, color, locale } = props;
  useEffect(() => {
    let plot: uPlot | null = null;
    let alive = true;
    loadUplot().then(
      (UPlot) => {
        if (!alive || !box.current) return;
        const width = Math.max(280, Math.min(box.current.clientWidth || 600, 900));
        const fmt = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
        plot = new UPlot(
          {
            width,
            height: 200,
            legend: { show: false },
            cursor: { show: true, drag: { x: false, y: false } },
            scales: { x: { time: true } },
            axes: [{ values: (_u, ticks) => ticks.map((s) => fmt.format(new Date(s * 1000))) }, { label }],
            series: [{}, { label, stroke: color, width: 2, fill: `${color}22`, spanGaps: false }],
          },
          data as uPlot.AlignedData,
          box.current,
        );
        box.current.dataset.ready = 'true';
      },
      (err: unknown) => alive && setFailed(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      alive = false;
      plot?.destroy();
    };
  }, [data, label, color, locale]);
  return (
    <figure class="co-chart" data-chart={props.id}>
      <figcaption id={`co-chart-${props.id}`}>
        <strong>{label}</strong>
        <span class="co-chart__summary">{props.summary}</span>
      </figcaption>
      <div ref={box} class="co-chart__plot" aria-hidden="true" />
      {failed && <p role="alert">{failed}</p>}
    </figure>
  );
}
