/**
 * The Analytics chart of NAV and cumulative P&L has two value axes: their zero lines sit at the
 * same height, so a P&L below zero never reads as above it against the NAV axis. Each axis spans
 * its data and 0 in the same number of round steps.
 */
import { describe, expect, it } from 'vitest';
import type { SnapshotRow } from '../../../core/api/commands/view-commands';
import { lineOption } from '../../../renderer/features/analytics/chart-options';
import { zeroAlignedAxes, type AlignedAxis } from '../../../renderer/ui/zero-aligned-axes';

/** Where 0 sits on an axis, as a share of its height from the bottom. */
const zeroHeight = (a: { min: number; max: number }) => -a.min / (a.max - a.min);

/** The axis spans [lo, hi], in whole steps from 0. */
function expectSpans(a: AlignedAxis, lo: number, hi: number): void {
  expect(a.min).toBeLessThanOrEqual(Math.min(0, lo));
  expect(a.max).toBeGreaterThanOrEqual(Math.max(0, hi));
  expect(Math.abs(a.min / a.interval - Math.round(a.min / a.interval))).toBeLessThan(1e-9);
  expect(Math.abs(a.max / a.interval - Math.round(a.max / a.interval))).toBeLessThan(1e-9);
}

describe('the NAV and cumulative P&L chart', () => {
  // NAV around 1.05M, never near 0; the P&L from a loss of 48,500 to a gain of 96,000.
  const rows = [
    { date: '2025-07-01', totalValue: 1_001_500, cumulativePnl: -48_500 },
    { date: '2025-07-02', totalValue: 1_040_000, cumulativePnl: 0 },
    { date: '2025-07-03', totalValue: 1_096_000, cumulativePnl: 96_000 },
    { date: '2025-07-04', totalValue: null, cumulativePnl: null },
  ] as unknown as SnapshotRow[];
  const option = lineOption(
    rows,
    [
      { name: 'NAV', value: (r) => r.totalValue },
      { name: 'Cumulative P&L', value: (r) => r.cumulativePnl, axis: 1 },
    ],
    [{ name: 'NAV ($)' }, { name: 'P&L ($)' }],
  );
  const [nav, pnl] = option['yAxis'] as (AlignedAxis & { scale?: boolean })[];

  it('puts 0 at the same height on both value axes', () => {
    expect(zeroHeight(nav!)).toBeCloseTo(zeroHeight(pnl!), 12);
    // The P&L's loss is below its zero line, so the NAV axis has room below its zero too.
    expect(zeroHeight(pnl!)).toBeGreaterThan(0);
  });

  it('spans each series and 0 in round steps, without fitting its own scale', () => {
    expectSpans(nav!, 1_001_500, 1_096_000);
    expectSpans(pnl!, -48_500, 96_000);
    expect(nav!.scale).toBeUndefined();
    expect(pnl!.scale).toBeUndefined();
  });
});

describe('zeroAlignedAxes', () => {
  it('shares the zero line between an axis above 0, one across it and one below it', () => {
    const axes = zeroAlignedAxes([
      { min: 0, max: 1_100_000 },
      { min: -50_000, max: 100_000 },
      { min: -30, max: 0 },
    ]);
    for (const a of axes) expect(zeroHeight(a)).toBeCloseTo(zeroHeight(axes[0]!), 12);
    expectSpans(axes[0]!, 0, 1_100_000);
    expectSpans(axes[1]!, -50_000, 100_000);
    expectSpans(axes[2]!, -30, 0);
    for (const a of axes) expect((a.max - a.min) / a.interval).toBeCloseTo(5, 9);
  });

  it('chooses the zero line that leaves the emptiest axis fullest', () => {
    // 0 on the first split line: the NAV axis spans -300k..1.2M (73% full), the P&L -50k..200k (60%);
    // on the second, -800k..1.2M (55%) and -80k..120k (75%).
    expect(zeroAlignedAxes([{ min: 0, max: 1_100_000 }, { min: -50_000, max: 100_000 }])).toEqual([
      { min: -300_000, max: 1_200_000, interval: 300_000 },
      { min: -50_000, max: 200_000, interval: 50_000 },
    ]);
  });

  it('keeps 0 at the bottom when no axis goes below it, and gives an axis without data steps of 1', () => {
    expect(zeroAlignedAxes([{ min: 0, max: 0.3 }, { min: 0, max: 0 }])).toEqual([
      { min: 0, max: 0.3, interval: 0.06 },
      { min: 0, max: 5, interval: 1 },
    ]);
  });
});
