/**
 * The ECharts options of the Analytics charts: lines over the snapshots' dates (NAV and
 * cumulative P&L, exposures, volatility) and bars of one date (factor exposures, stress tests).
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { SnapshotRow } from '../../../core/api/commands/view-commands';
import { zeroAlignedAxes, type AxisExtent } from '../../ui/zero-aligned-axes';

const money = (v: number) => Math.round(v).toLocaleString('en-US');

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
    tooltip: { trigger: 'axis' },
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

/** Bars of one value per label, red below 0 and green above; horizontal by default. */
export function barOption(labels: string[], values: number[], name: string, horizontal = true): EChartsCoreOption {
  const cat = { type: 'category', data: labels, axisLabel: { width: 160, overflow: 'truncate' } };
  const val = { type: 'value', axisLabel: { formatter: (v: number) => money(v) } };
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: horizontal ? 170 : 60, right: 30, top: 20, bottom: 30 },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? cat : val,
    series: [{ name, type: 'bar', data: values.map((v) => ({ value: v, itemStyle: { color: v < 0 ? '#c0392b' : '#2e7d32' } })) }],
  };
}
