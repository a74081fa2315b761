/**
 * The ECharts options of the Analytics charts: lines over the snapshots' dates (NAV and
 * cumulative P&L, exposures, volatility) and bars of one date (factor exposures, stress tests).
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { SnapshotRow } from '../../../core/api/commands/view-commands';
import { zeroAlignedAxes, type AxisExtent } from '../../ui/zero-aligned-axes';

const money = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * The charts' tooltips are drawn in the canvas (ECharts' rich text): its HTML tooltips lay out
 * their content with inline style attributes, which the app's Content-Security-Policy
 * (style-src 'self', core/api/content-security-policy.ts) refuses, so the series name and the
 * value would run together.
 */
const TOOLTIP = { renderMode: 'richText' } as const;

export interface LineSeries {
  readonly name: string;
  readonly value: (r: SnapshotRow) => number | null;
  /** The value axis of the series (its index in the axes); the first by default. */
  readonly axis?: number;
}

/** The least and greatest value of the series on each axis, with 0 (the axes span it). */
function extentsOf(rows: readonly SnapshotRow[], series: readonly LineSeries[], axes: number): AxisExtent[] {
  return Array.from({ length: axes }, (_, axis) => {
    const values = series.filter((s) => (s.axis ?? 0) === axis).flatMap((s) => rows.map(s.value).filter((v): v is number => v !== null && Number.isFinite(v)));
    return { min: values.reduce((a, b) => Math.min(a, b), 0), max: values.reduce((a, b) => Math.max(a, b), 0) };
  });
}

/**
 * Lines over the snapshots' dates. One value axis fits its data; with two (NAV and P&L), both
 * span 0 with their zero lines at the same height (zeroAlignedAxes).
 */
export function lineOption(rows: readonly SnapshotRow[], series: readonly LineSeries[], axes: readonly { name: string; percent?: boolean }[]): EChartsCoreOption {
  const aligned = axes.length > 1 ? zeroAlignedAxes(extentsOf(rows, series, axes.length)) : null;
  return {
    animation: false,
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 70, right: axes.length > 1 ? 70 : 20, top: 30, bottom: 50 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    xAxis: { type: 'category', data: rows.map((r) => r.date) },
    yAxis: axes.map((a, i) => ({
      type: 'value',
      name: a.name,
      ...(aligned ? aligned[i] : { scale: true }),
      axisLabel: { formatter: a.percent ? (v: number) => `${(v * 100).toFixed(0)}%` : (v: number) => money(v) },
    })),
    series: series.map((s) => ({ name: s.name, type: 'line', showSymbol: false, yAxisIndex: s.axis ?? 0, data: rows.map(s.value), sampling: 'lttb' })),
  };
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
/** Money in a few characters for a value axis: "-900K", "1.2M", so tick labels never run into each other. */
const compactMoney = (v: number): string => compact.format(v);

/**
 * The widest a bar's name is drawn, in px: wider names end in "..." (the label's tooltip, and
 * the bar's, give the whole name). The names' column is as wide as the longest one up to this,
 * and the plot gets the rest of the width; a chart narrower than NARROW_CHART gives the names
 * less (NARROW_LABEL_WIDTH), so the bars keep room.
 */
const BAR_LABEL_WIDTH = 210;
const NARROW_CHART = 480;
const NARROW_LABEL_WIDTH = 140;

/** How a bar chart writes its values: on the value axis (short) and in the tooltip. */
export interface BarFormat {
  axis(v: number): string;
  value(v: number): string;
}

/** Money in compact form on the axis, whole dollars in the tooltip. */
const MONEY_BARS: BarFormat = { axis: compactMoney, value: money };

/**
 * Horizontal bars of one value per label, red below 0 and green above: the names on the
 * category axis, every one drawn (a row per bar, so they never overlap), inside the chart
 * (the grid shrinks to hold them); the values on the value axis in `format.axis` (money in
 * compact form by default), labels that would still touch left out, and in `format.value` in
 * the tooltip. `name` titles the value axis (say its unit) and names the series. A null value
 * has no result: its row draws no bar but "n/a", and its tooltip says why (`reasons`, by
 * index), so it never reads as a real 0. A media query narrows the names' column in a narrow
 * chart, on every resize.
 */
export function barOption(
  labels: readonly string[],
  values: readonly (number | null)[],
  name: string,
  { format = MONEY_BARS, reasons = [] }: { format?: BarFormat; reasons?: readonly (string | null)[] } = {},
): EChartsCoreOption {
  const names = (width: number) => ({ yAxis: { axisLabel: { interval: 0, width, overflow: 'truncate', ellipsis: '...' } } });
  // "n/a" sits at the zero line, on the side the bars leave free when they all point one way.
  const naSide = values.some((v) => v !== null && v > 0) ? 'right' : 'left';
  const naText = (i: number) => `n/a (${reasons[i] ?? 'no result'})`;
  return {
    baseOption: {
      animation: false,
      tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number, i: number) => (values[i] === null ? naText(i) : format.value(v)) },
      // The rect below is for the axes; outerBounds 'same' shrinks it until every label and the axis title fit inside it.
      grid: { left: 8, right: 24, top: 12, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all' },
      // Few ticks: the plot shares the width with the names, and labels that touched would be dropped unevenly.
      xAxis: { type: 'value', name, nameLocation: 'middle', nameGap: 26, splitNumber: 4, axisLabel: { formatter: format.axis, hideOverlap: true } },
      yAxis: { type: 'category', data: labels, tooltip: { show: true } },
      series: [
        {
          name,
          type: 'bar',
          data: values.map((v) =>
            v === null
              ? { value: 0, itemStyle: { color: 'transparent' }, label: { show: true, position: naSide, formatter: 'n/a', color: '#5b6474' } }
              : { value: v, itemStyle: { color: v < 0 ? '#c0392b' : '#2e7d32' } },
          ),
        },
      ],
    },
    // The names' labels: the narrow chart's, else (the entry without a query) the default.
    media: [{ query: { maxWidth: NARROW_CHART }, option: names(NARROW_LABEL_WIDTH) }, { option: names(BAR_LABEL_WIDTH) }],
  };
}
