/**
 * The live run store shared by every screen: starts runs (the engine answers a start once the
 * run has its id or was refused), folds throttled telemetry batches into the
 * live state (one React update per batch, so at most 10 a second), rebuilds itself after a
 * reload from the engine's event ring and the tracking table (SPEC.md h.7), and re-reads
 * tracking when a run ends or the data changes. While this app runs no batch, it watches for
 * a run another process (the CLI) does on the file, for every screen and the header: the grid
 * follows that run's dates as it commits them, and is read again once it has ended. Each look
 * reads the history's latest run too, so the header names the latest run whatever process
 * did it, also one shorter than the watch's interval or one that ended before a reload. After a
 * restore or an import replaced the database, the runs it showed go and it reads the new file;
 * the watch's looks are also what makes the host notice one made by another process, a
 * `batchdesk restore` from a terminal (host/handlers/database-replaced.ts).
 */
import { z } from 'zod';
import type { OtherProcessRun, RunStatus } from '../../core/api/commands/run-commands';
import { errorShapeSchema } from '../../core/api/errors';
import { DATABASE_REPLACED_METRIC } from '../../core/api/telemetry-events';
import type { RunOptionsInput } from '../../core/api/run-options';
import type { EngineClient } from '../engine-client/engine-client';
import { EngineError } from '../engine-client/engine-error';
import { applyBatch, countTrackedDates, EMPTY_LIVE, isMonitorRun, seedFromTracking, withCancelRequested, withNotRunDates, withPlannedDates, withDatabaseReplaced, withResumedRun, withStart, type HistoryRun, type LiveState, type OtherRunWatch, type RunStart } from './live-run';
import { planSchema } from './run-plan';

/** How often the run of another process is read again while it lasts. */
export const OTHER_RUN_POLL_MS = 2000;
/** How often the lock is looked at for a run of another process while there is none (one row read). */
export const OTHER_RUN_IDLE_POLL_MS = 5000;

/**
 * Which outcomes of a start that did not start a clear drops: all of them (refusals and "nothing
 * to run"), only a refusal because the database was held, or all but that refusal.
 */
export type RefusalScope = 'all' | 'locked' | 'not-locked';

const noRunSummarySchema = z.object({ message: z.string() }).loose();

/** A resume's stored options name the run it continues (SPEC.md g.11). */
const resumeOptionsSchema = z.object({ resumed_run_id: z.string() }).loose();

/** What a run status that ended before the run's first event says: a refusal, or nothing to run. */
function endedBeforeStart(s: RunStatus): RunStart {
  if (s.state === 'completed') return { state: 'nothing_to_run', message: noRunSummarySchema.safeParse(s.summary).data?.message ?? 'Nothing to run.' };
  const shape = errorShapeSchema.safeParse(s.error);
  const error = new EngineError(shape.success ? shape.data : { code: 'internal', message: s.error?.message ?? `the run ended (${s.state}, exit code ${s.exitCode ?? '-'}) before it started` });
  return { state: 'refused', error, exitCode: s.exitCode, lockHolder: s.lockHolder };
}

export class LiveStore {
  /** The state every change folds into. */
  private state: LiveState = EMPTY_LIVE;
  /** The state the screens see: `state` as of the last change, except while a rebuild is in flight (rebuild). */
  private shown: LiveState = EMPTY_LIVE;
  /** Rebuilds in flight: what they build is not shown until they are done. */
  private rebuilding = 0;
  private readonly listeners = new Set<() => void>();
  private off: (() => void) | null = null;
  /** UI updates applied (one per delivered batch); the throttle test reads it. */
  updates = 0;
  /** Whether the run of another process is being watched: started, and this app runs no batch. */
  private watching = false;
  /** Bumped when the watch stops or starts again: a read begun before is dropped. */
  private watchGen = 0;
  private watchTimer: ReturnType<typeof setTimeout> | undefined;
  /** The run of another process last seen, across reads: its disappearance is its end. */
  private otherShown: OtherProcessRun | null = null;
  /** The history's latest run has been read once: a change after that is a run done meanwhile. */
  private latestRunRead = false;

  constructor(private readonly client: EngineClient) {}

  readonly getSnapshot = (): LiveState => this.shown;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.off) return;
    this.off = this.client.onTelemetry((batch) => {
      const started = batch.events.some((e) => e.event === 'run_start');
      const finished = batch.events.some((e) => e.event === 'run_result');
      const replaced = batch.events.some((e) => e.event === 'metric' && e.payload.name === DATABASE_REPLACED_METRIC);
      const next = applyBatch(this.state, batch, performance.now());
      this.set(replaced ? withDatabaseReplaced(next) : next);
      if (replaced) this.afterDatabaseReplaced();
      // A failed read leaves the run unnamed (readResumedRun) or the rows the events built; the next run or reload reads again.
      if (started) void this.readResumedRun().catch(() => undefined);
      if (finished) void this.afterRun().catch(() => undefined);
    });
    this.syncOtherRunWatch();
  }

  stop(): void {
    this.off?.();
    this.off = null;
    this.syncOtherRunWatch();
  }

  /**
   * Starts a run (new, or a resume) whose plan covers `plannedDates`; the engine answers once
   * the run has its id or was refused. Resolves true once it has started; false when the
   * engine refused it or ended it before it started, which `state.start` then describes until
   * the next start.
   */
  async startRun(options: RunOptionsInput, plannedDates: readonly string[] = []): Promise<boolean> {
    this.set(withStart(withPlannedDates(this.state, plannedDates), { state: 'starting' }));
    return this.awaitStart(options);
  }

  /**
   * Resumes the latest cancelled or interrupted run (g.11). When that is the live run, which
   * this store saw cancelled, its dates not run (its resume plan) are the resume's pending
   * dates and the start names it.
   */
  async resumeRun(): Promise<boolean> {
    const { run, result, notRunDates } = this.state;
    const cancelled = run?.runId && result?.cancelled && notRunDates.length > 0 ? run : null;
    const start: RunStart = cancelled ? { state: 'starting', resuming: { batchRunId: cancelled.batchRunId, dates: notRunDates.length } } : { state: 'starting' };
    this.set(withStart(withPlannedDates(this.state, cancelled ? notRunDates : []), start));
    return this.awaitStart({ resume: cancelled?.runId ?? 'latest', triggeredBy: 'app' });
  }

  /**
   * Asks the running batch to stop after its current portfolio-date (g.10); the state then
   * says so until the run_result arrives (`cancelNoteOf`).
   */
  async cancelRun(): Promise<{ requested: boolean }> {
    const r = await this.client.call('cancelRun', { force: false });
    if (r.requested && this.state.phase === 'running') this.set(withCancelRequested(this.state));
    return r;
  }

  /**
   * Drops what the last start came to when it did not start (the options changed, a new plan
   * was made, or the run of another process that held the file has ended): it no longer says
   * why a run cannot start now. `scope` says which of those outcomes go.
   */
  clearRefusal(scope: RefusalScope = 'all'): void {
    const start = this.state.start;
    if (!start || start.state === 'starting') return;
    const locked = start.state === 'refused' && start.error.code === 'locked';
    if (scope === 'all' || (scope === 'locked') === locked) this.set(withStart(this.state, null));
  }

  private async awaitStart(options: RunOptionsInput): Promise<boolean> {
    let outcome: RunStart | null;
    try {
      const r = await this.client.call('startRun', options);
      // A start that did not begin a run says why in its status (a held lock, a closed gate, nothing to run).
      outcome = r.status.runId !== null ? null : endedBeforeStart(r.status);
    } catch (err) {
      const error = err instanceof EngineError ? err : new EngineError({ code: 'internal', message: (err as Error).message });
      outcome = { state: 'refused', error, exitCode: null, lockHolder: null };
    }
    this.set(withStart(outcome ? withPlannedDates(this.state, []) : this.state, outcome));
    return outcome === null;
  }

  async refreshTracking(): Promise<void> {
    const rows = await this.trackingRows();
    this.set(seedFromTracking(this.state, rows));
  }

  /**
   * After a reload: replay the latest run from its run_start and the ring, then rebuild the
   * rows from the tracking table; dates whose events left the ring count from their tracking
   * rows. A cancelled run's dates it did not run are read again, as after the run. The replay
   * alone counts only the dates whose events are still in the ring (a long run's "56/292
   * dates"), so nothing of the rebuild is shown before the tracking rows have made it whole;
   * events arriving meanwhile are folded in as ever, and shown with it.
   */
  async rebuild(): Promise<void> {
    this.rebuilding++;
    try {
      const { events, runStart } = await this.client.call('recentEvents', { limit: 5000 });
      if (runStart) {
        const runEvents = events.filter((e) => e.run_id === runStart.run_id && e.seq > runStart.seq);
        this.set(applyBatch(EMPTY_LIVE, { events: [runStart, ...runEvents], counts: {}, coalesced: 0 }, performance.now()));
        void this.readResumedRun().catch(() => undefined);
      }
      const rows = await this.trackingRows();
      this.set(seedFromTracking(countTrackedDates(this.state, rows), rows));
    } finally {
      this.rebuilding--;
      this.show();
    }
    await this.readNotRunDates();
  }

  /**
   * Which run the live run resumes (g.11): its history row's options name it (a resume of the
   * latest cancelled run only learns which one it is there), and that run's row its batch run id.
   */
  private async readResumedRun(): Promise<void> {
    const run = this.state.run;
    if (!run?.runId || run.mode !== 'resume') return;
    const [row] = (await this.client.call('listRuns', { ids: [run.runId], limit: 1 })).runs;
    const resumedId = resumeOptionsSchema.safeParse(row?.options).data?.resumed_run_id;
    if (!resumedId) return;
    const [resumed] = (await this.client.call('listRuns', { ids: [resumedId], limit: 1 })).runs;
    this.set(withResumedRun(this.state, run.runId, resumed?.batchRunId ?? resumedId));
  }

  /**
   * A restore or an import replaced the database: the runs shown are dropped (withDatabaseReplaced),
   * the grid is read again from the new file, and the watch looks at once for the latest run of
   * its history. A failed read leaves the rows; the watch's next look reads again.
   */
  private afterDatabaseReplaced(): void {
    void this.refreshTracking().catch(() => undefined);
    if (!this.watching) return;
    this.watchGen++;
    clearTimeout(this.watchTimer);
    this.otherShown = null;
    void this.readOtherRun(this.watchGen);
  }

  private async afterRun(): Promise<void> {
    await this.refreshTracking();
    await this.readNotRunDates();
  }

  /**
   * The dates a cancelled run planned and did not finish (g.10) are the dates of its resume
   * plan: resume re-plans the run and leaves out what it finished (g.11).
   */
  private async readNotRunDates(): Promise<void> {
    const { run, result } = this.state;
    // A monitor-only run's dates are none of the database's (g.12): nothing of them is pending.
    if (!run?.runId || !result?.cancelled || isMonitorRun(run)) return;
    const { plan } = await this.client.call('planRun', { resume: run.runId });
    const dates = planSchema.parse(plan).dates.map((d) => d.date);
    if (this.state.run?.runId === run.runId) this.set(withNotRunDates(this.state, dates));
  }

  /** Watches while started and this app runs no batch (nor is starting one); stopping it forgets what it saw. */
  private syncOtherRunWatch(): void {
    const enabled = this.off !== null && this.state.phase !== 'running' && this.state.start?.state !== 'starting';
    if (enabled === this.watching) return;
    this.watching = enabled;
    this.watchGen++;
    clearTimeout(this.watchTimer);
    this.otherShown = null;
    if (enabled) void this.readOtherRun(this.watchGen);
    else this.setOtherRun({ state: 'none' });
  }

  /**
   * One read of the run of another process, then the next one: every OTHER_RUN_POLL_MS while
   * such a run lasts, every OTHER_RUN_IDLE_POLL_MS while there is none or a read failed. The
   * grid is read again each time its dates done change (its tracking rows are committed), and
   * once it has ended (its status read from the history first), when a start it refused is past.
   * Each read reads the history's latest run too (also after a reload while a run holds the
   * file): a run that started and ended between two reads shows there, and the grid is read
   * again for it; the watched run itself is no such run, its dates done say when to read.
   */
  private async readOtherRun(gen: number): Promise<void> {
    let run: OtherProcessRun | null;
    try {
      run = (await this.client.call('getOtherProcessRun', {})).run;
    } catch (error) {
      // A failed read (the host busy or restarting) is said, and the lock is looked at again.
      if (gen !== this.watchGen) return;
      this.setOtherRun({ state: 'error', error });
      this.watchTimer = setTimeout(() => void this.readOtherRun(gen), OTHER_RUN_IDLE_POLL_MS);
      return;
    }
    if (gen !== this.watchGen) return;
    const before = this.otherShown;
    // How the run it showed ended; a read stopped meanwhile leaves it shown, for the next read to say.
    const status = !run && before ? await this.endStatus(before.runId) : null;
    const latest = await this.latestHistoryRun();
    if (gen !== this.watchGen) return;
    this.otherShown = run;
    if (run) this.setOtherRun({ state: 'running', run });
    else if (before) this.setOtherRun({ state: 'finished', run: before, status });
    const unseen = latest !== undefined && this.setLatestRun(latest, run ?? before);
    if (before && before.runId !== run?.runId) {
      this.clearRefusal('locked');
      void this.refreshTracking().catch(() => undefined);
    } else if ((run && run.mode !== 'monitor' && run.datesDone !== before?.datesDone) || unseen) {
      // A monitor-only run commits no dates (g.12): only a publishing run's rows are read.
      void this.refreshTracking().catch(() => undefined);
    }
    this.watchTimer = setTimeout(() => void this.readOtherRun(gen), run ? OTHER_RUN_POLL_MS : OTHER_RUN_IDLE_POLL_MS);
  }

  /** The status in a run's history row, written before it let go of the file; null when it cannot be read. */
  private async endStatus(runId: string): Promise<string | null> {
    try {
      return (await this.client.call('listRuns', { ids: [runId], limit: 1 })).runs[0]?.status ?? null;
    } catch {
      return null;
    }
  }

  /** The history's latest run; undefined when it cannot be read (the next look reads it again). */
  private async latestHistoryRun(): Promise<HistoryRun | null | undefined> {
    try {
      return (await this.client.call('listRuns', { limit: 1 })).runs[0] ?? null;
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps the history's latest run; true when the previous read did not see it so (another run,
   * or another status): a run that ran meanwhile, unless it is this app's live run, whose rows
   * the store reads at its end, or the run of another process `watched`, which the watch follows.
   */
  private setLatestRun(latestRun: HistoryRun | null, watched: OtherProcessRun | null): boolean {
    const before = this.state.latestRun;
    const read = this.latestRunRead;
    this.latestRunRead = true;
    if (JSON.stringify(latestRun) === JSON.stringify(before)) return false;
    this.set({ ...this.state, latestRun });
    return read && latestRun !== null && (latestRun.id !== before?.id || latestRun.status !== before?.status) && latestRun.id !== this.state.run?.runId && latestRun.id !== watched?.runId;
  }

  /** A read that saw nothing new (the same run, figures and state) changes nothing. */
  private setOtherRun(otherRun: OtherRunWatch): void {
    if (otherRun.state === this.state.otherRun.state && JSON.stringify(otherRun) === JSON.stringify(this.state.otherRun)) return;
    this.set({ ...this.state, otherRun });
  }

  private async trackingRows() {
    return (await this.client.call('getTracking', { includeIncomplete: true, limit: 20_000 })).dates;
  }

  private set(next: LiveState): void {
    this.state = next;
    this.updates++;
    this.show();
    this.syncOtherRunWatch();
  }

  /** Shows the state to the screens, unless a rebuild is in flight. */
  private show(): void {
    if (this.rebuilding > 0 || this.shown === this.state) return;
    this.shown = this.state;
    for (const l of this.listeners) l();
  }
}
