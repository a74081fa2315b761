/**
 * What a resume continues (SPEC.md g.11): the run `--resume` names and the options it runs
 * with. The plan comes from the stored options of the first run of the resume chain (a stopped
 * resume continues the plan of the run it resumed; planner.ts); so do the options that decide
 * where prices come from and how the phases compute them, unless the resume gives them itself:
 * `run --market-data synthetic` stopped and then `run --resume` goes on with synthetic prices,
 * not with the database's setting.
 */
import type { RunOptions } from '../api/run-options';
import type { EngineStore } from '../ports/engine-store';
import type { HistoryRecord } from '../ports/store';

/** The run options, besides the plan's, that a resume takes from the run it continues when not given. */
const CONTINUED_OPTIONS = ['marketData', 'csvDir', 'seed', 'impliedVol', 'riskFreeRate', 'maxMissingMarks'] as const satisfies readonly (keyof RunOptions)[];

type ResumeStore = Pick<EngineStore, 'getRun' | 'latestResumable' | 'readLock'>;

/** The run and the runs it resumed, newest first: the last one holds the plan's options. */
export function resumeChain(store: Pick<EngineStore, 'getRun'>, run: HistoryRecord): HistoryRecord[] {
  const chain = [run];
  const seen = new Set([run.id]);
  for (let prev = run.resumedRunId; prev !== null && !seen.has(prev); ) {
    const r = store.getRun(prev);
    if (!r) break;
    chain.push(r);
    seen.add(r.id);
    prev = r.resumedRunId;
  }
  return chain;
}

/**
 * The run `--resume` continues: by id; or the latest stopped run, unless `dead` is newer: a run
 * that still reads 'running' because it was killed, whose lock the resume takes over (and so
 * marks interrupted) before it plans. Null when there is none (the planner refuses it).
 */
export function runToResume(store: Pick<EngineStore, 'getRun' | 'latestResumable'>, resume: string, dead: HistoryRecord | null): HistoryRecord | null {
  if (resume !== 'latest') return store.getRun(resume);
  const stopped = store.latestResumable();
  if (dead && dead.status === 'running' && (!stopped || dead.startedAt > stopped.startedAt)) return dead;
  return stopped;
}

/**
 * The options of a run: for a resume, those it gives, completed by the continued run's
 * (CONTINUED_OPTIONS). Looked up before the run takes the lock: a run still 'running' that holds
 * it is the killed run the resume will take over (a live holder refuses the resume anyway).
 */
export function withResumedOptions(input: RunOptions, store: ResumeStore): RunOptions {
  if (!input.resume) return input;
  const lock = store.readLock();
  const run = runToResume(store, input.resume, lock?.runId ? store.getRun(lock.runId) : null);
  if (!run) return input;
  const chain = resumeChain(store, run);
  const stored = (chain[chain.length - 1]!.options ?? {}) as Partial<RunOptions>;
  const out: Record<string, unknown> = { ...input };
  for (const k of CONTINUED_OPTIONS) if (out[k] === undefined && stored[k] !== undefined) out[k] = stored[k];
  if (stored.allowMixedSources === true) out['allowMixedSources'] = true;
  return out as RunOptions;
}
