// @vitest-environment happy-dom
/**
 * An empty section of the Analytics screen says why in words, not in the engine's codes: each
 * job's outcome ("not applicable", "no factor exposures") with the detail a job that does not
 * apply gives ("no public marked lots"), the jobs of one outcome named together; a job that ran
 * says so.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { AnalyticsScreen } from '../../../renderer/features/analytics/analytics-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { analyticsView } from '../../support/app/analytics-view';
import { FakeTransport } from '../../support/app/fake-transport';

// The charts draw on a canvas, which happy-dom has not.
vi.mock('../../../renderer/ui/chart', () => ({ Chart: () => null }));

afterEach(cleanup);

const notApplicable = (detail: string) => ({ success: false, reason: 'not_applicable', metrics: { positions: 0, detail } });

/** A date of a portfolio without public lots, as the demo's private one has. */
const view = analyticsView({
  jobs: {
    market_beta: notApplicable('no_public_marked_lots'),
    ridge_factors: notApplicable('no_public_marked_lots'),
    spread_factors: notApplicable('no_public_marked_lots'),
    ir_beta: { success: false, reason: 'non_positive_equity', metrics: {} },
    stress_tests: { success: false, reason: 'no_factor_exposures', metrics: { scenarios_tested: 0 } },
    volatility: notApplicable('no_lot_with_price_history'),
    correlations: { success: true, reason: null, metrics: {} },
  },
});

/** The Analytics screen on a fake host (by default one without portfolios, opened on p1's view; null: no portfolio given). */
function renderScreen(handlers: ConstructorParameters<typeof FakeTransport>[0] = {}, initialPortfolio: string | null = 'p1'): void {
  const client = new EngineClient(new FakeTransport({ listPortfolios: () => ({ portfolios: [] }), getSnapshots: () => ({ portfolioId: 'p1', rows: [] }), getAnalytics: () => view, ...handlers }));
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <AnalyticsScreen initialPortfolio={initialPortfolio ?? undefined} />
    </ServicesProvider>,
  );
}

/** The text under the empty state titled `title`. */
const why = (title: string) => screen.getByText(title).closest('.state')!.querySelector('.state-body')!.textContent;

describe('an empty Analytics section', () => {
  it('says why in words', async () => {
    renderScreen();
    await screen.findByText('No factor exposures');
    expect(why('No factor exposures')).toBe('Market beta, ridge factors and spread factors: not applicable (no public marked lots).');
    expect(why('No stress results')).toBe('Stress tests: no factor exposures.');
    expect(why('No position volatility')).toBe('Volatility: not applicable (no lot with price history).');
    expect(why('No correlations')).toBe('Correlations: ran.');
  });

  it('opens on the portfolio with positive equity and the most positions, not on one whose equity is negative', async () => {
    const summary = (id: string, positions: number, equityBalance: number) => ({ id, name: id, accountName: id, isActive: true, deleted: false, equityBalance, initialEquity: 1_000_000, positions, firstEntryDate: '2025-06-30', latestSnapshotDate: '2026-11-03' });
    const asked: string[] = [];
    renderScreen(
      {
        listPortfolios: () => ({ portfolios: [summary('small', 5, 400_000), summary('levered', 30, -800_000), summary('large', 20, 2_000_000)] }),
        getSnapshots: (input) => {
          const portfolioId = (input as { portfolioId: string }).portfolioId;
          asked.push(portfolioId);
          return { portfolioId, rows: [] };
        },
      },
      null,
    );
    await waitFor(() => expect((screen.getByTestId('analytics-portfolio') as HTMLSelectElement).value).toBe('large'));
    expect(asked).not.toContain('levered');
  });

  it("lists every job's outcome in words, a benign skip as not applicable, the codes as tooltips", async () => {
    renderScreen();
    const table = await screen.findByTestId('analytics-job-outcomes');
    const rows = [...table.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')]);
    expect(rows.map((r) => r.map((td) => td.textContent))).toEqual([
      ['Market beta', 'not applicable', 'not applicable (no public marked lots)'],
      ['Ridge factors', 'not applicable', 'not applicable (no public marked lots)'],
      ['Spread factors', 'not applicable', 'not applicable (no public marked lots)'],
      ['IR beta', 'not applicable', 'equity at or below zero'],
      ['Stress tests', 'not applicable', 'no factor exposures'],
      ['Volatility', 'not applicable', 'not applicable (no lot with price history)'],
      ['Correlations', 'success', '-'],
    ]);
    expect(rows.map((r) => r[0]!.getAttribute('title'))).toEqual(Object.keys(view.jobs));
    expect(rows[3]![2]!.getAttribute('title')).toBe('non_positive_equity');
  });
});
