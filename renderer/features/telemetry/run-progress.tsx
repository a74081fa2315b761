/** Progress bar with ETA, and the running totals of the live run (SPEC.md h.7). */
import { elapsedOf, progressOf, type LiveState } from '../../state/live-run';
import { fmtDuration, fmtInt } from '../../ui/format';

export function RunProgress({ live }: { live: LiveState }) {
  const p = progressOf(live);
  const c = live.counters;
  const elapsed = elapsedOf(live);
  const pct = Math.round(p.fraction * 1000) / 10;
  const state = live.phase === 'finished' ? (live.result?.cancelled ? 'cancelled' : (live.result?.status ?? 'finished')) : live.phase;
  return (
    <section className="run-progress" aria-label="Run progress" data-testid="run-progress">
      <div className="run-title">
        <strong>{live.run ? live.run.batchRunId : 'No run yet'}</strong>
        <span className={`pill st-${state}`} data-testid="run-state">
          {state}
        </span>
        {live.current ? (
          <span className="current" data-testid="current-cell">
            now: {live.current.date} {live.current.phase}
            {live.current.portfolioId ? ` (portfolio ${(live.current.index ?? 0) + 1}/${live.current.count})` : ''}
          </span>
        ) : null}
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Dates done" data-testid="progress" data-done={p.done}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
        <span className="progress-text">
          {fmtInt(p.done)} / {fmtInt(p.planned)} dates ({pct}%)
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
          <dt>Provider requests</dt>
          <dd>{fmtInt(c.providerRequests)}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd>{fmtInt(c.retries)}</dd>
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
