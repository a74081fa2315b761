/**
 * What one grid cell holds: the phase's status, reason and error, each portfolio's outcome,
 * the phase metrics (in words and formatted numbers, the raw JSON folded away), and for
 * analytics the job outcomes ({ success, reason, metrics }). For a finished date it reads the
 * tracking row (getDateDetail); while the date runs, it shows what the telemetry brought.
 */
import { useMemo } from 'react';
import type { PortfolioSummary } from '../../../core/api/commands/view-commands';
import { useClient } from '../../app-context';
import { useNavigation } from '../../navigation';
import { cellClass, type GridRow, type PortfolioCell } from '../../state/live-run';
import { fmtDuration, phaseLabel } from '../../ui/format';
import { ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { codeWords, jobOutcomeWord, metricLabel, metricParts, metricText } from './metric-format';
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

/**
 * The metrics as a labelled list (the job outcomes have their own table), and the metrics as
 * stored, folded away under "Raw JSON" for debugging.
 */
function MetricsList({ metrics }: { metrics: Json | null }) {
  if (!metrics || Object.keys(metrics).length === 0) return <p className="muted">No metrics recorded.</p>;
  return (
    <>
      <MetricEntries entries={Object.entries(metrics).filter(([k]) => k !== 'jobs')} />
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
            reason <code data-testid="cell-detail-reason">{reason}</code>
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
          <MetricsList metrics={metricsOf(null)} />
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
                  <td>{[c.reason, c.error].filter(Boolean).join(': ') || '-'}</td>
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
                            <td title={reason ?? undefined}>{reason ? codeWords(reason) : '-'}</td>
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
