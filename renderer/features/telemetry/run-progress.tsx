/**
 * Progress bar with ETA, and the running totals of the live run (SPEC.md h.7). With no run in
 * this session: what the grid shows (the dates tracked in the database) and the outcome of the
 * last run in the history.
 */
import { elapsedOf, isMonitorRun, progressOf, runKindOf, runStateLabelOf, type HistoryRun, type LiveState } from '../../state/live-run';
import { fmtDuration, fmtInt, fmtTimestamp, phaseLabel } from '../../ui/format';

/** The last run of the history, in words: its id, kind, outcome and end. */
function lastRunText(r: HistoryRun): string {
  const kind = r.mode === 'monitor' ? 'monitor-only (debug) run' : 'run';
  const end = r.completedAt ? `, ended ${fmtTimestamp(r.completedAt)}` : `, started ${fmtTimestamp(r.startedAt)}`;
  return `The last ${kind} in the history, ${r.batchRunId}: ${r.status ?? 'unknown'}${end}.`;
}

function IdleSummary({ trackedDates, lastRun }: { trackedDates: number; lastRun: HistoryRun | null }) {
  return (
    <section className="run-progress" aria-label="Run progress" data-testid="run-progress">
      <div className="run-title">
        <strong>Tracked dates</strong>
        <span className="pill st-idle" data-testid="run-state">
          idle
        </span>
      </div>
      <p className="idle-summary" data-testid="idle-summary">
        No run in this session. The grid shows the {fmtInt(trackedDates)} date{trackedDates === 1 ? '' : 's'} tracked in the database.
        {lastRun ? ` ${lastRunText(lastRun)}` : ' The history holds no run yet.'}
      </p>
    </section>
  );
}

export function RunProgress({ live, trackedDates, lastRun }: { live: LiveState; trackedDates: number; lastRun: HistoryRun | null }) {
  if (!live.run && live.phase === 'idle') return <IdleSummary trackedDates={trackedDates} lastRun={lastRun} />;
  const p = progressOf(live);
  const c = live.counters;
  const elapsed = elapsedOf(live);
  const pct = Math.round(p.fraction * 1000) / 10;
  const state = runStateLabelOf(live);
  const monitor = isMonitorRun(live.run);
  return (
    <section className="run-progress" aria-label="Run progress" data-testid="run-progress">
      <div className="run-title">
        <strong>{live.run ? live.run.batchRunId : 'Run'}</strong>
        <span className="run-kind" data-testid="run-kind">
          {runKindOf(live.run)}
        </span>
        {live.resumes ? (
          <span className="run-kind" data-testid="run-resumes">
            resumes run {live.resumes.batchRunId}
          </span>
        ) : null}
        <span className={`pill st-${state.cls}`} data-testid="run-state">
          {state.words}
        </span>
        {live.current ? (
          <span className="current" data-testid="current-cell">
            now: {live.current.date} {phaseLabel(live.current.phase)}
            {live.current.portfolioId ? ` (portfolio ${(live.current.index ?? 0) + 1}/${live.current.count})` : ''}
          </span>
        ) : null}
      </div>
      {monitor ? (
        <p className="note" data-testid="monitor-note">
          Monitor-only: every date is computed and rolled back, nothing is published. Its dates are not in the grid of tracked dates; see Debug a date for its results.
        </p>
      ) : null}
      {/* The text sits beside the bar, not on it: the fill's edge marker would cross it. */}
      <div className="progress-line">
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={monitor ? 'Dates computed' : 'Dates done'} data-testid="progress" data-done={p.done}>
          <div className="progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <span className="progress-text" data-testid="progress-text">
          {fmtInt(p.done)} / {fmtInt(p.planned)} dates {monitor ? 'computed' : 'done'} ({pct}%)
          {p.etaMs !== null && live.phase === 'running' ? `, about ${fmtDuration(p.etaMs)} left` : ''}
          {elapsed !== null ? `, ${fmtDuration(elapsed)} ${live.phase === 'running' ? 'elapsed' : 'in all'}` : ''}
        </span>
      </div>
      <dl className="counters" data-testid="counters">
        <div>
          <dt>Dates done</dt>
          <dd data-testid="counter-dates">{fmtInt(live.datesDone)}</dd>
        </div>
        <div>
          <dt>Missing prices</dt>
          <dd data-testid="counter-missing">{fmtInt(c.missingPrices)}</dd>
        </div>
        <div>
          <dt>Fallbacks</dt>
          <dd data-testid="counter-fallbacks">{fmtInt(c.fallbacks)}</dd>
        </div>
        <div>
          <dt>Model marks</dt>
          <dd>{fmtInt(c.modelMarks)}</dd>
        </div>
        <div>
          <dt title="Symbol ranges asked of the price sources, one request each, as the run summary counts them">Provider requests</dt>
          <dd>{fmtInt(c.providerRequests)}</dd>
        </div>
        <div>
          {/* Every provider_retry: Yahoo's profile requests retry too, which the run summary's market_data.retries leaves out. */}
          <dt title="Yahoo requests sent again after a failure, for prices and for company profiles; the run summary's retries count those of price requests only">Retries (prices and profiles)</dt>
          <dd data-testid="counter-retries">{fmtInt(c.retries)}</dd>
        </div>
        <div>
          <dt>Circuit</dt>
          <dd>{c.circuitState ?? 'closed'}</dd>
        </div>
        <div>
          <dt>Failed phases</dt>
          <dd data-testid="counter-failed">{fmtInt(c.failedPhases)}</dd>
        </div>
      </dl>
    </section>
  );
}
