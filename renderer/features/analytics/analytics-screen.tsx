/**
 * Analytics per portfolio: NAV and cumulative P&L, exposures over time, volatility over time
 * (from the snapshots), and for one date the factor exposure bars, the stress test results,
 * position volatility and correlations (getAnalytics).
 */
import { useEffect, useMemo, useState } from 'react';
import type { AnalyticsView, Correlation } from '../../../core/api/commands/view-commands';
import { useClient } from '../../app-context';
import { Chart } from '../../ui/chart';
import { downloadText } from '../../ui/export-file';
import { fmtMoney, fmtNum, fmtPct } from '../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { PortfolioOptions } from '../../ui/portfolio-options';
import { codeWords, jobOutcomeWord, metricLabel } from '../telemetry/metric-format';
import { reasonWords } from '../telemetry/reason-words';
import { barOption, lineOption, type BarFormat } from './chart-options';
import { stressBars } from './stress-bars';

/** Betas on the factor chart: plain numbers, not money. */
const BETA_FORMAT: BarFormat = { axis: (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 }), value: (v: number) => fmtNum(v, 3) };

/**
 * The distinct pairs of a correlation matrix, n(n-1)/2 for n symbols: its stored rows are the
 * whole matrix (n², each pair in both orders and each symbol with itself, SPEC.md d.11), which
 * is not what "pairs" means to a reader.
 */
function distinctPairs(pairs: Correlation['pairs']): number {
  return new Set(pairs.filter((p) => p.symbol1 !== p.symbol2).map((p) => (p.symbol1 < p.symbol2 ? `${p.symbol1}\n${p.symbol2}` : `${p.symbol2}\n${p.symbol1}`))).size;
}

/**
 * The factors whose exposure the stress tests took from an earlier date (the stress job's
 * `exposures_before_date`): d.12 uses each factor's latest exposure at any age, so a date whose
 * exposure jobs wrote none for a factor (skipped or failed) is stressed with an older one.
 */
function staleStressFactors(view: AnalyticsView): string[] {
  const names = view.jobs['stress_tests']?.metrics['exposures_before_date'];
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
}

function DateAnalytics({ view }: { view: AnalyticsView }) {
  const factors = view.factorExposures;
  const stress = view.stressTests;
  const factorOption = useMemo(() => barOption(factors.map((f) => f.name), factors.map((f) => f.exposureValue), 'Exposure (beta)', { format: BETA_FORMAT }), [factors]);
  const bars = useMemo(() => stressBars(view), [view]);
  const stressOption = useMemo(() => barOption(bars.map((b) => b.name), bars.map((b) => b.value), 'Correlated P&L ($)', { reasons: bars.map((b) => b.reason) }), [bars]);
  const unavailable = bars.filter((b) => b.value === null);
  const stale = staleStressFactors(view);
  const corr = view.correlations[0] ?? null;
  const jobs = Object.entries(view.jobs);
  return (
    <>
      <div className="two-col">
        <section aria-labelledby="factor-title">
          <h2 id="factor-title">Factor exposures on {view.date}</h2>
          {factors.length === 0 ? (
            <EmptyState title="No factor exposures">{jobOutcomeText(view, ['market_beta', 'ridge_factors', 'spread_factors'])}</EmptyState>
          ) : (
            <Chart option={factorOption} label={`Factor exposures of the portfolio on ${view.date}`} height={Math.max(220, factors.length * 26 + 60)} testId="chart-factors" />
          )}
        </section>
        <section aria-labelledby="stress-title">
          <h2 id="stress-title">Stress tests on {view.date}</h2>
          {stress.length === 0 ? (
            <EmptyState title="No stress results">{jobOutcomeText(view, ['stress_tests'])}</EmptyState>
          ) : (
            <>
              <Chart option={stressOption} label={`Stress test P&L of the portfolio on ${view.date}, in dollars`} height={Math.max(220, stress.length * 22 + 60)} testId="chart-stress" />
              {unavailable.length > 0 ? (
                <p className="note" data-testid="stress-unavailable">
                  No result (n/a on the chart): {unavailable.map((b) => `${b.name} (${b.reason})`).join(', ')}.
                </p>
              ) : null}
              {stale.length > 0 ? (
                <p className="note warn" data-testid="stress-stale-exposures">
                  Exposures from before {view.date} were used for {stale.join(', ')}: no exposure of {stale.length === 1 ? 'it' : 'them'} was computed on this date (see "Analytics job outcomes" below), and the stress tests take each factor's latest one.
                </p>
              ) : null}
            </>
          )}
        </section>
      </div>
      <div className="two-col">
        <section aria-labelledby="posvol-title">
          <h2 id="posvol-title">Position volatility</h2>
          {view.positionVolatility.length === 0 ? (
            <EmptyState title="No position volatility">{jobOutcomeText(view, ['volatility'])}</EmptyState>
          ) : (
            <table className="simple" data-testid="position-volatility">
              <thead>
                <tr>
                  <th>Symbol</th>
                  <th className="num">21d</th>
                  <th className="num">63d</th>
                  <th className="num">Expected 21d</th>
                  <th>Trend</th>
                </tr>
              </thead>
              <tbody>
                {view.positionVolatility.map((p) => (
                  <tr key={p.positionId}>
                    <td>{p.symbol}</td>
                    <td className="num">{fmtPct(p.realizedVol21d)}</td>
                    <td className="num">{fmtPct(p.realizedVol63d)}</td>
                    <td className="num">{fmtPct(p.expectedVol21d)}</td>
                    <td>{p.volTrend ?? '-'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="corr-title">
          <h2 id="corr-title">Correlations</h2>
          {corr ? (
            <dl className="metrics">
              <div>
                <dt>Window</dt>
                <dd>{corr.durationDays} days</dd>
              </div>
              <div>
                <dt>Overall correlation</dt>
                <dd>{fmtNum(corr.overallCorrelation, 3)}</dd>
              </div>
              <div>
                <dt>Concentration score</dt>
                <dd>{fmtNum(corr.concentrationScore, 3)}</dd>
              </div>
              <div>
                <dt>Effective positions</dt>
                <dd>{fmtNum(corr.effectivePositions, 2)}</dd>
              </div>
              <div>
                <dt>Positions in / out</dt>
                <dd>
                  {corr.positionsIncluded ?? '-'} / {corr.positionsExcluded ?? '-'}
                </dd>
              </div>
              <div>
                <dt>Pairs</dt>
                <dd data-testid="correlation-pairs">{distinctPairs(corr.pairs)}</dd>
              </div>
            </dl>
          ) : (
            <EmptyState title="No correlations">{jobOutcomeText(view, ['correlations'])}</EmptyState>
          )}
          {jobs.length > 0 ? (
            <details>
              <summary>Analytics job outcomes</summary>
              <table className="simple" data-testid="analytics-job-outcomes">
                <thead>
                  <tr>
                    <th>Job</th>
                    <th>Outcome</th>
                    <th>Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.map(([name, j]) => (
                    <tr key={name}>
                      <td title={name}>{metricLabel(name)}</td>
                      <td>{jobOutcomeWord(j)}</td>
                      <td title={j.reason ?? undefined}>{j.success ? '-' : outcomeWords(j)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </section>
      </div>
    </>
  );
}

/** A job's outcome in words: ran, or why not, with the detail a job that does not apply gives. */
function outcomeWords(outcome: AnalyticsView['jobs'][string]): string {
  if (outcome.success) return 'ran';
  const detail = outcome.metrics['detail'];
  return `${outcome.reason ? reasonWords(outcome.reason) : 'failed'}${typeof detail === 'string' ? ` (${codeWords(detail)})` : ''}`;
}

/** Why a section is empty: its jobs' outcomes in words, the jobs of one outcome named together ("Market beta and spread factors: not applicable (...)"). */
function jobOutcomeText(view: AnalyticsView, jobs: string[]): string {
  const byOutcome = new Map<string, string[]>();
  for (const j of jobs) {
    const outcome = view.jobs[j];
    if (!outcome) continue;
    const words = outcomeWords(outcome);
    byOutcome.set(words, [...(byOutcome.get(words) ?? []), j]);
  }
  if (byOutcome.size === 0) return 'The analytics did not run for this portfolio-date.';
  const named = (names: string[]) => [names.slice(0, -1).join(', '), names.at(-1)!].filter(Boolean).join(' and ');
  return `${[...byOutcome].map(([words, js]) => `${named(js.map((j, i) => (i === 0 ? metricLabel(j) : codeWords(j))))}: ${words}`).join('; ')}.`;
}

export function AnalyticsScreen({ initialPortfolio }: { initialPortfolio?: string | undefined }) {
  const client = useClient();
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  const [portfolio, setPortfolio] = useState(initialPortfolio ?? '');
  const [date, setDate] = useState('');
  useEffect(() => {
    // Default to the largest portfolio with snapshots: most likely to have every analytics job.
    const withData = (portfolios.data?.portfolios ?? []).filter((p) => p.latestSnapshotDate);
    // The fullest picture first: a portfolio with positive equity (one without has no factor
    // exposures or rate stress results, m.22), then the one with the most positions.
    const positive = (p: { equityBalance: number | null }) => ((p.equityBalance ?? 0) > 0 ? 1 : 0);
    const first = [...withData].sort((a, b) => positive(b) - positive(a) || b.positions - a.positions)[0] ?? portfolios.data?.portfolios[0];
    if (!portfolio && first) setPortfolio(first.id);
  }, [portfolios.data, portfolio]);
  const snapshots = useAsync(() => (portfolio ? client.call('getSnapshots', { portfolioId: portfolio }) : Promise.resolve(null)), [client, portfolio]);
  const view = useAsync(() => (portfolio ? client.call('getAnalytics', { portfolioId: portfolio, ...(date ? { date } : {}) }) : Promise.resolve(null)), [client, portfolio, date]);
  const rows = snapshots.data?.rows ?? [];
  const navOption = useMemo(
    () =>
      lineOption(
        rows,
        [
          { name: 'NAV', value: (r) => r.totalValue },
          { name: 'Cumulative P&L', value: (r) => r.cumulativePnl, axis: 1 },
        ],
        [{ name: 'NAV ($)' }, { name: 'P&L ($)' }],
      ),
    [rows],
  );
  const exposureOption = useMemo(
    () =>
      lineOption(
        rows,
        [
          { name: 'Long', value: (r) => r.longValue },
          { name: 'Short', value: (r) => r.shortValue },
          { name: 'Gross', value: (r) => r.grossExposure },
          { name: 'Net', value: (r) => r.netExposure },
        ],
        [{ name: 'Exposure ($)' }],
      ),
    [rows],
  );
  const volOption = useMemo(
    () =>
      lineOption(
        rows,
        [
          { name: 'Realized 21d', value: (r) => r.realizedVolatility21d },
          { name: 'Realized 63d', value: (r) => r.realizedVolatility63d },
          { name: 'Expected 21d (HAR)', value: (r) => r.expectedVolatility21d },
        ],
        [{ name: 'Annualized volatility', percent: true }],
      ),
    [rows],
  );
  // The headline is the chosen date's snapshot, the latest one while none is chosen.
  const headline = (date ? rows.find((r) => r.date === date) : undefined) ?? rows[rows.length - 1];
  return (
    <section aria-labelledby="analytics-title" data-testid="screen-analytics">
      <h1 id="analytics-title" tabIndex={-1}>
        Analytics
      </h1>
      <div className="filters">
        <label>
          Portfolio
          <select value={portfolio} onChange={(e) => (setPortfolio(e.target.value), setDate(''))} data-testid="analytics-portfolio">
            <PortfolioOptions list={portfolios.data} />
          </select>
        </label>
        <label>
          Date
          <select value={date} onChange={(e) => setDate(e.target.value)} data-testid="analytics-date">
            <option value="">latest</option>
            {[...rows].reverse().map((r) => (
              <option key={r.date} value={r.date}>
                {r.date}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={rows.length === 0} onClick={() => downloadText('snapshots.json', JSON.stringify(rows, null, 2), 'application/json')}>
          Export snapshots JSON
        </button>
      </div>
      {portfolios.error ? <ErrorState error={portfolios.error} onRetry={portfolios.reload} /> : null}
      {snapshots.error ? <ErrorState error={snapshots.error} onRetry={snapshots.reload} /> : null}
      {snapshots.loading && !snapshots.data ? <LoadingState /> : null}
      {snapshots.data && rows.length === 0 ? <EmptyState title="No snapshots yet">Run a backfill: NAV, P&L and exposures appear once a date completes.</EmptyState> : null}
      {rows.length > 0 ? (
        <>
          {headline ? (
            <p className="muted" data-testid="analytics-headline">
              {headline.date}: NAV {fmtMoney(headline.totalValue)}, cumulative P&L {fmtMoney(headline.cumulativePnl)}, cash {fmtMoney(headline.cashValue)}, beta (90d) {fmtNum(headline.betaCalculated90d, 2)}
            </p>
          ) : null}
          <section aria-labelledby="nav-title">
            <h2 id="nav-title">NAV and cumulative P&L</h2>
            <Chart option={navOption} label="NAV and cumulative P&L over time" testId="chart-nav" />
          </section>
          <section aria-labelledby="exp-title">
            <h2 id="exp-title">Exposures over time</h2>
            <Chart option={exposureOption} label="Long, short, gross and net exposure over time" testId="chart-exposures" />
          </section>
          <section aria-labelledby="vol-title">
            <h2 id="vol-title">Volatility</h2>
            <Chart option={volOption} label="Realized and expected portfolio volatility over time" testId="chart-volatility" />
          </section>
        </>
      ) : null}
      {view.error ? <ErrorState error={view.error} onRetry={view.reload} /> : null}
      {view.data && view.data.date ? <DateAnalytics view={view.data} /> : null}
    </section>
  );
}
