/**
 * The run in progress, on the Run screen: this app's engine's run (started from this window or
 * another one), or a run another process (the CLI's `batchdesk run`, another app) is doing on
 * the file, as the live store watches it (SPEC.md g.9, i.5). It says which run, who started it
 * and when, how far it is, and why Start and Resume are off until it ends (one run at a time
 * holds the database), with the way to Live, which shows it and can stop it.
 */
import type { RunStatus } from '../../../core/api/commands/run-commands';
import { progressOf, runKindOf, type LiveState } from '../../state/live-run';
import { fmtInt, fmtTimestamp, HOLDERS } from '../../ui/format';

export interface ActiveRun {
  /** `app`: this app's engine runs it (the Run screen's Cancel run stops it); `other`: another process does. */
  readonly source: 'app' | 'other';
  /** Its batch run id, else its run id (a run of another process before its history row exists). */
  readonly name: string | null;
  readonly kind: string;
  /** Who started it, in words. */
  readonly by: string;
  readonly startedAt: string | null;
  readonly done: number;
  /** Null when not known (yet). */
  readonly planned: number | null;
  readonly currentDate: string | null;
  readonly cancelRequested: boolean;
}

const isActive = (s: RunStatus | undefined): s is RunStatus => s?.state === 'running' || s?.state === 'cancelling';

/**
 * The run in progress, if any: the live run while it runs; a run the engine's status says is
 * running that the live state has not seen start (a status read before its first event); else
 * the run of another process the live store watches. A status about the live run that has
 * ended is an earlier read, not a run in progress.
 */
export function activeRunOf(live: LiveState, status: RunStatus | undefined): ActiveRun | null {
  if (live.phase === 'running' && live.run) {
    const p = progressOf(live);
    return {
      source: 'app',
      name: live.run.batchRunId,
      kind: runKindOf(live.run),
      by: 'from this app',
      startedAt: live.run.startedAt,
      done: p.done,
      planned: live.run.datesPlanned > 0 ? live.run.datesPlanned : null,
      currentDate: live.current?.date ?? null,
      cancelRequested: live.cancelRequested || (status?.state === 'cancelling' && status.runId === live.run.runId),
    };
  }
  if (isActive(status) && status.runId !== live.run?.runId) {
    return {
      source: 'app',
      name: status.batchRunId ?? status.runId,
      kind: 'run',
      by: 'from this app',
      startedAt: status.startedAt,
      done: status.datesDone,
      planned: status.datesPlanned > 0 ? status.datesPlanned : null,
      currentDate: null,
      cancelRequested: status.state === 'cancelling',
    };
  }
  if (live.otherRun.state === 'running') {
    const r = live.otherRun.run;
    return {
      source: 'other',
      name: r.batchRunId ?? r.runId,
      kind: r.mode === 'monitor' ? 'monitor-only (debug) run' : 'run',
      by: `by ${HOLDERS[r.holder] ?? r.holder} (pid ${r.pid} on ${r.host})`,
      startedAt: r.startedAt,
      done: r.datesDone,
      planned: r.datesPlanned,
      currentDate: r.currentDate,
      cancelRequested: r.cancelRequested,
    };
  }
  return null;
}

/** "3 / 10 dates done (30%), now on 2025-07-04" (as far as it is known). */
export function progressText(run: ActiveRun): string {
  const pct = run.planned ? ` (${Math.round((Math.min(run.done, run.planned) / run.planned) * 100)}%)` : '';
  return `${fmtInt(run.done)} / ${run.planned === null ? '?' : fmtInt(run.planned)} dates done${pct}${run.currentDate ? `, now on ${run.currentDate}` : ''}.`;
}

/** `reasonId`: the id of the sentence saying why Start is off, for the buttons' aria-describedby. */
export function ActiveRunNotice({ run, reasonId, onOpenLive }: { run: ActiveRun; reasonId: string; onOpenLive: () => void }) {
  const what = `${run.kind === 'run' ? 'Run' : `A ${run.kind}`}${run.name ? ` ${run.name}` : ''}`;
  return (
    <section className="active-run" aria-labelledby="active-run-title" data-testid="active-run" data-source={run.source}>
      <p>
        <strong id="active-run-title" data-testid="active-run-title">
          {what} is in progress, started {run.by}
          {run.startedAt ? ` at ${fmtTimestamp(run.startedAt)}` : ''}.
        </strong>
      </p>
      <p data-testid="active-run-progress">
        {progressText(run)}
        {run.cancelRequested ? ' Cancel requested: it stops after its current portfolio-date.' : ''}
      </p>
      <p id={reasonId} data-testid="active-run-reason">
        Start and Resume are off until it ends: one run at a time works on this database.{' '}
        {run.source === 'app' ? (
          'Cancel run below stops it after its current portfolio-date; Live shows it date by date.'
        ) : (
          <>
            Live shows it and can ask it to stop, as <code>batchdesk cancel</code> does.
          </>
        )}
      </p>
      <button type="button" onClick={onOpenLive} data-testid="active-run-live">
        Open Live
      </button>
    </section>
  );
}
