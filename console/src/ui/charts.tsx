// Two charts drawn as SVG at the width they are given (measured, so text keeps
// its size on a phone): horizontal bars of money per channel, and stacked
// columns of the review queue by age. Each has a title and description for
// screen readers, and its numbers as a table beside it.
import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';

/** The element's content width, following resizes. */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current!;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

export interface Bar {
  label: string;
  value: bigint;
  valueText: string;
  tone: 'in' | 'out';
}

const ROW = 46;

/** Horizontal bars sharing one scale: a label above each bar, the value after it. */
export function BarChart({ bars, title, description }: { bars: Bar[]; title: string; description: string }) {
  const { ref, width } = useWidth();
  const id = useId();
  const max = bars.reduce((m, bar) => (bar.value > m ? bar.value : m), 1n);
  const valueSpace = 118;
  const barSpace = Math.max(40, width - valueSpace);
  const height = bars.length * ROW;
  return (
    <div ref={ref} class="chart">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {bars.map((bar, i) => {
          const y = i * ROW;
          // bigint → a ratio without losing đồng: scale to per-mille first.
          const length = Math.max(2, Math.round((Number((bar.value * 1000n) / max) / 1000) * barSpace));
          return (
            <g key={bar.label} transform={`translate(0 ${y})`}>
              <text x={0} y={14} class="chart-label">
                {bar.label}
              </text>
              <rect x={0} y={20} width={length} height={16} rx={3} class={`bar-${bar.tone}`} />
              <text x={length + 8} y={33} class="chart-value">
                {bar.valueText}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

export interface Column {
  label: string;
  /** Stacked from the bottom, in `series` order. */
  values: number[];
}

/** Stacked columns with a legend; the total above each column. */
export function StackedColumns({ columns, series, title, description }: { columns: Column[]; series: { name: string; className: string }[]; title: string; description: string }) {
  const { ref, width } = useWidth();
  const id = useId();
  const height = 200;
  const top = 22;
  const bottom = 40;
  const plot = height - top - bottom;
  const max = Math.max(1, ...columns.map((column) => column.values.reduce((a, b) => a + b, 0)));
  const slot = width / columns.length;
  const barWidth = Math.min(56, slot * 0.6);
  return (
    <div ref={ref} class="chart">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line x1={0} x2={width} y1={top + plot} y2={top + plot} class="chart-axis" />
        {columns.map((column, i) => {
          const x = i * slot + (slot - barWidth) / 2;
          let y = top + plot;
          const total = column.values.reduce((a, b) => a + b, 0);
          return (
            <g key={column.label}>
              {column.values.map((value, s) => {
                const h = (value / max) * plot;
                y -= h;
                return value > 0 ? <rect key={s} x={x} y={y} width={barWidth} height={h} class={series[s]!.className} /> : null;
              })}
              <text x={x + barWidth / 2} y={top + plot - (total / max) * plot - 6} class="chart-value" text-anchor="middle">
                {total}
              </text>
              <text x={i * slot + slot / 2} y={height - bottom + 18} class="chart-label" text-anchor="middle">
                {column.label}
              </text>
            </g>
          );
        })}
      </svg>
      <ul class="legend">
        {series.map((s) => (
          <li key={s.name}>
            <span class={`swatch ${s.className}`} aria-hidden="true" /> {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The chart's numbers as a table, folded. */
export function TableView({ summary, children }: { summary: string; children: ComponentChildren }) {
  return (
    <details class="table-view">
      <summary>{summary}</summary>
      {children}
    </details>
  );
}
