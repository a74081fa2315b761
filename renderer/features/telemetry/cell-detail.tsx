/**
 * What one grid cell holds: the phase's status, reason and error, each portfolio's outcome,
 * the phase metrics (in words and formatted numbers, each said once, the raw JSON folded away;
 * for market data the price coverage first: exact, fallback and missing counts, the symbols
 * that used a fallback apart from those with no usable price), and for analytics the job
 * outcomes ({ success, reason, metrics }); each reason in words, its code muted after them
 * (reason-words.tsx). For a finished date it reads the tracking row (getDateDetail); while
 * the date runs, it shows what the telemetry brought.
 */
import { useMemo } from 'react';
import type { PortfolioSummary } from '../../../core/api/commands/view-commands';
import { useClient } from '../../app-context';
import { useNavigation } from '../../navigation';
import { cellClass, type GridRow, type PortfolioCell } from '../../state/live-run';
import { fmtDuration, phaseLabel } from '../../ui/format';
import { ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { jobOutcomeWord, metricLabel, metricParts, metricText } from './metric-format';
import { ReasonText, reasonWords } from './reason-words';
import { listedMetrics, listedSymbols, needsResolutions, priceCoverageOf, type PriceCoverage } from './market-data-metrics';
import type { CellRef } from './phase-grid';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);

/** Metrics as label and value (the key is the label's tooltip); a value with parts of its own lists them under its label, one level in. */
function MetricEntries({ entries }: { entries: [string, unknown][] }) {
  return (
    <dl className="metrics">
      {entries.map(([k, v]) => {
        const text = metricText(k, v);
        return (
          <div key={k} className={text === null ? 'nested' : undefined}>
            <dt title={k}>{metricLabel(k)}</dt>
            <dd data-metric={k}>{text ?? <MetricEntries entries={metricParts(v)} />}</dd>
          </div>
        );
      })}
    </dl>
  );
}

/** A count and the symbols of it named ("1: AAPL"), and how many more there are (the metrics name at most 20 symbols). */
function countOf(n: number, symbols: readonly string[]): string {
  if (n === 0 || symbols.length === 0) return String(n);
  return `${n}: ${symbols.join(', ')}${n > symbols.length ? ` and ${n - symbols.length} more` : ''}`;
}

/**
 * The market-data cell's price coverage, said once (market-data-metrics.ts). Which listed
 * symbols used a fallback is read from the date's Missing prices rows when the counts do not
 * tell (some of each kind).
 */
function PriceCoverageList({ date, coverage }: { date: string; coverage: PriceCoverage }) {
  const client = useClient();
  const needed = needsResolutions(coverage);
  const rows = useAsync(
    () => (needed ? client.call('getMissingPrices', { startDate: date, endDate: date, symbols: [...coverage.listed], includeIncomplete: true }) : Promise.resolve(null)),
    [client, date, needed, coverage.listed.join(' ')],
  );
  const symbols = listedSymbols(coverage, rows.data ? new Map(rows.data.rows.map((r) => [r.symbol, r.resolution])) : null);
  const pct = (v: number | null) => (v === null ? null : metricText('coverage_pct', v));
  const coverageText = [pct(coverage.coveragePct) && `${pct(coverage.coveragePct)} exact`, pct(coverage.usableCoveragePct) && `${pct(coverage.usableCoveragePct)} usable`].filter(Boolean).join(', ');
  return (
    <dl className="metrics" data-testid="price-coverage">
      <div>
        <dt>Symbols needed</dt>
        <dd>{metricText('symbols_requested', coverage.requested)}</dd>
      </div>
      <div>
        <dt>Exact close</dt>
        <dd>{metricText('symbols_with_exact_close', coverage.exact)}</dd>
      </div>
      <div>
        <dt>Fallback close</dt>
        <dd data-testid="price-coverage-fallback">{countOf(coverage.fallback, symbols.fallback)}</dd>
      </div>
      <div>
        <dt>No usable price</dt>
        <dd data-testid="price-coverage-missing">{countOf(coverage.missing, symbols.missing)}</dd>
      </div>
      {coverageText ? (
        <div>
          <dt>Coverage</dt>
          <dd>{coverageText}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/**
 * The metrics as a labelled list, each said once (listedMetrics: the job outcomes have their
 * own table, the price coverage `coverage` says is left to it), and the metrics as stored,
 * folded away under "Raw JSON" for debugging.
 */
function MetricsList({ metrics, coverage = null }: { metrics: Json | null; coverage?: PriceCoverage | null }) {
  if (!metrics || Object.keys(metrics).length === 0) return <p className="muted">No metrics recorded.</p>;
  return (
    <>
      <MetricEntries entries={listedMetrics(metrics, coverage)} />
      <details className="raw-json" data-testid="metrics-raw">
        <summary>Raw JSON</summary>
        <pre>{JSON.stringify(metrics, null, 2)}</pre>
      </details>
    </>
  );
}

export function CellDetail({ cell, row, portfolios, onClose }: { cell: CellRef; row: GridRow | undefined; portfolios: readonly PortfolioSummary[]; onClose: () => void }) {
  const client = useClient();
  const { navigate } = useNavigation();
  const detail = useAsync(() => client.call('getDateDetail', { date: cell.date, includeIncomplete: true }), [client, cell.date, row?.status, row?.complete]);
  const names = useMemo(() => new Map(portfolios.map((p) => [p.id, p.name])), [portfolios]);
  const live = row?.cells[cell.phase];
  const meta = obj(detail.data?.metadata);
  const stored = detail.data?.row?.phases[cell.phase];
  const status = stored?.status ?? live?.status ?? 'not run';
  const reason = stored?.reason ?? live?.reason ?? null;
  const error = stored?.error ?? live?.error ?? null;
  const portfolioEntries: [string, PortfolioCell][] = Object.entries(stored?.portfolios ?? {}).map(([id, c]) => [id, { ...c, metrics: null }]);
  const livePortfolios = live?.portfolios ?? {};
  const merged: [string, PortfolioCell][] = portfolioEntries.length > 0 ? portfolioEntries : Object.entries(livePortfolios);
  const metricsOf = (pid: string | null): Json | null => {
    if (pid === null) return obj(meta?.[cell.phase]) ?? obj(live?.metrics);
    return obj(obj(obj(meta?.['portfolios'])?.[pid])?.[cell.phase]) ?? obj(livePortfolios[pid]?.metrics);
  };
  const coverage = cell.phase === 'market_data' ? priceCoverageOf(metricsOf(null)) : null;
  const jobsOf = (pid: string): Json | null => obj(obj(obj(obj(meta?.['portfolios'])?.[pid])?.['analytics'])?.['jobs']) ?? obj(livePortfolios[pid]?.metrics?.['jobs']);
  return (
    <aside className="cell-detail" aria-labelledby="cell-detail-title" data-testid="cell-detail" data-loaded={detail.data ? 'true' : 'false'}>
      <header>
        <h2 id="cell-detail-title">
          {cell.date} - {phaseLabel(cell.phase)}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close the cell detail">
          Close
        </button>
      </header>
      <p>
        Status <span className={`pill st-${cellClass(status)}`} data-testid="cell-detail-status">{status}</span>
        {reason ? (
          <>
            {' '}
            reason <ReasonText code={reason} testId="cell-detail-reason" />
          </>
        ) : null}
      </p>
      {error ? (
        <p className="error-text" data-testid="cell-detail-error">
          {error}
        </p>
      ) : null}
      {detail.loading && !detail.data ? <LoadingState /> : null}
      {detail.error ? <ErrorState error={detail.error} onRetry={detail.reload} /> : null}
      {detail.loading && !detail.data ? null : merged.length === 0 ? (
        <>
          <h3>Metrics</h3>
          {coverage ? <PriceCoverageList date={cell.date} coverage={coverage} /> : null}
          <MetricsList metrics={metricsOf(null)} coverage={coverage} />
        </>
      ) : (
        <>
          <h3>Portfolios</h3>
          <table className="simple" data-testid="cell-detail-portfolios">
            <thead>
              <tr>
                <th>Portfolio</th>
                <th>Status</th>
                <th>Duration</th>
                <th>Reason / error</th>
              </tr>
            </thead>
            <tbody>
              {merged.map(([id, c]) => (
                <tr key={id}>
                  <td>{names.get(id) ?? id.slice(0, 8)}</td>
                  <td>
                    <span className={`pill st-${cellClass(c.status)}`}>{c.status}</span>
                  </td>
                  <td>{fmtDuration(c.durationMs)}</td>
                  <td>
                    {c.reason ? <ReasonText code={c.reason} /> : null}
                    {c.reason && c.error ? ': ' : null}
                    {c.error ?? (c.reason ? null : '-')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {merged.map(([id]) => {
            const jobs = cell.phase === 'analytics' ? jobsOf(id) : null;
            return (
              <details key={id}>
                <summary>
                  {names.get(id) ?? id}: metrics{jobs ? ' and job outcomes' : ''}
                </summary>
                <MetricsList metrics={metricsOf(id)} />
                {jobs ? (
                  <table className="simple" data-testid="job-outcomes">
                    <thead>
                      <tr>
                        <th>Job</th>
                        <th>Outcome</th>
                        <th>Reason</th>
                        <th>Metrics</th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.entries(jobs).map(([job, o]) => {
                        const j = obj(o);
                        const jobMetrics = metricParts(j?.['metrics']);
                        const reason = typeof j?.['reason'] === 'string' ? j['reason'] : null;
                        return (
                          <tr key={job}>
                            <td title={job}>{metricLabel(job)}</td>
                            <td>{jobOutcomeWord(j)}</td>
                            <td title={reason ?? undefined}>{reason ? reasonWords(reason) : '-'}</td>
                            <td>{jobMetrics.length > 0 ? <MetricEntries entries={jobMetrics} /> : '-'}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                ) : null}
              </details>
            );
          })}
        </>
      )}
      <div className="actions">
        <button type="button" onClick={() => navigate('debug', { date: cell.date, phase: cell.phase })}>
          Debug this date
        </button>
        <button type="button" onClick={() => navigate('missing', { date: cell.date })}>
          Missing prices
        </button>
      </div>
    </aside>
  );
}
