// @vitest-environment happy-dom
/**
 * The Analytics screen's stress-test chart: its value axis is titled with what it plots and
 * its unit (correlated P&L in dollars, SPEC.md d.12), and a scenario without a result is "n/a"
 * with its reason, never a bar of 0: a rate scenario on a date whose equity is not positive
 * (its P&L E x beta_IR x shock means nothing, whatever number was stored), or one stored
 * without a value. A real zero stays a zero. Factors stressed with an exposure from before the
 * date (d.12 takes the latest at any age) are named under the chart.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnalyticsView, StressResult } from '../../../core/api/commands/view-commands';
import type { IsoDate } from '../../../core/domain/iso-date';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { AnalyticsScreen } from '../../../renderer/features/analytics/analytics-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';

/** The options the screen gives its charts, by test id (the charts draw on a canvas, which happy-dom has not). */
const charts = vi.hoisted(() => new Map<string, Record<string, unknown>>());
vi.mock('../../../renderer/ui/chart', () => ({
  Chart: ({ option, testId }: { option: Record<string, unknown>; testId: string }) => {
    charts.set(testId, option);
    return null;
  },
}));

afterEach(() => {
  cleanup();
  charts.clear();
});

const scenario = (name: string, category: string, pnl: number | null): StressResult => ({
  scenarioId: name,
  scenarioKey: name.toLowerCase().replace(/ /g, '_'),
  name,
  category,
  severity: 'base',
  directPnl: pnl,
  correlatedPnl: pnl,
  correlationEffect: pnl === null ? null : 0,
  factorImpacts: {},
});

function view(stressTests: StressResult[], irBeta: AnalyticsView['jobs'][string]): AnalyticsView {
  return {
    portfolioId: 'p1',
    date: '2026-11-03' as IsoDate,
    snapshot: null,
    factorExposures: [],
    stressTests,
    positionVolatility: [],
    correlations: [],
    sectorExposure: null,
    jobs: { ir_beta: irBeta, stress_tests: { success: true, reason: null, metrics: {} } },
  };
}

interface BarItem {
  value: number;
  itemStyle: { color: string };
  label?: { show: boolean; formatter: string };
}

/** The stress chart as the screen set it up: the value axis's title, the bars, the tooltip's words for each. */
async function stressChart(v: AnalyticsView) {
  const client = new EngineClient(new FakeTransport({ listPortfolios: () => ({ portfolios: [] }), getSnapshots: () => ({ portfolioId: 'p1', rows: [] }), getAnalytics: () => v }));
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <AnalyticsScreen initialPortfolio="p1" />
    </ServicesProvider>,
  );
  await screen.findByText(`Stress tests on ${v.date}`);
  const base = charts.get('chart-stress')!['baseOption'] as {
    xAxis: { name: string };
    series: { data: BarItem[] }[];
    tooltip: { valueFormatter: (value: number, index: number) => string };
  };
  const bars = base.series[0]!.data;
  return { axis: base.xAxis.name, bars, tooltips: bars.map((b, i) => base.tooltip.valueFormatter(b.value, i)) };
}

describe('the stress-test chart', () => {
  it('titles its value axis with the P&L it plots and its unit', async () => {
    const { axis } = await stressChart(view([scenario('Market Decline 5%', 'market', -12_500)], { success: true, reason: null, metrics: {} }));
    expect(axis).toBe('Correlated P&L ($)');
  });

  it('draws a rate scenario of a date without positive equity as n/a with its reason, apart from a real zero', async () => {
    const v = view(
      [scenario('Market Decline 5%', 'market', -12_500), scenario('Rates Up 50bp', 'rates', 0), scenario('Flight to Quality 12%', 'rotation', 0), scenario('Rates Down 50bp', 'rates', null)],
      { success: false, reason: 'non_positive_equity', metrics: {} },
    );
    const { bars, tooltips } = await stressChart(v);
    expect(bars.map((b) => b.label?.formatter ?? b.value)).toEqual([-12_500, 'n/a', 0, 'n/a']);
    // No bar where there is no result: only its "n/a" label.
    expect(bars[1]!.itemStyle.color).toBe('transparent');
    expect(bars[2]!.itemStyle.color).not.toBe('transparent');
    expect(tooltips).toEqual(['-12,500', 'n/a (equity at or below zero)', '0', 'n/a (equity at or below zero)']);
    expect(screen.getByTestId('stress-unavailable').textContent).toBe('No result (n/a on the chart): Rates Up 50bp (equity at or below zero), Rates Down 50bp (equity at or below zero).');
  });

  it('a scenario stored without a value is n/a too, and a rate scenario with its IR beta draws its figure', async () => {
    const { bars, tooltips } = await stressChart(view([scenario('Market Rally 5%', 'market', null), scenario('Rates Up 25bp', 'rates', 830)], { success: true, reason: null, metrics: {} }));
    expect(bars.map((b) => b.label?.formatter ?? b.value)).toEqual(['n/a', 830]);
    expect(tooltips).toEqual(['n/a (no result stored)', '830']);
    expect(screen.getByTestId('stress-unavailable').textContent).toBe('No result (n/a on the chart): Market Rally 5% (no result stored).');
  });

  it('says which factors it stressed with exposures from before the date, and none when every one is of the date', async () => {
    const v = view([scenario('Market Decline 5%', 'market', -12_500)], { success: false, reason: 'non_positive_equity', metrics: {} });
    const stale = { ...v, jobs: { ...v.jobs, stress_tests: { success: true, reason: null, metrics: { exposures_before_date: ['Market Beta', 'Interest Rate Beta'] } } } };
    await stressChart(stale);
    expect(screen.getByTestId('stress-stale-exposures').textContent).toBe(
      `Exposures from before 2026-11-03 were used for Market Beta, Interest Rate Beta: no exposure of them was computed on this date (see "Analytics job outcomes" below), and the stress tests take each factor's latest one.`,
    );
    cleanup();
    await stressChart(v);
    expect(screen.queryByTestId('stress-stale-exposures')).toBeNull();
  });
});
