/**
 * What a resume continues (SPEC.md g.11): the run `--resume` names and the options it runs
 * with. The plan comes from the stored options of the first run of the resume chain (a stopped
 * resume continues the plan of the run it resumed; planner.ts). The options that decide where
 * prices come from and how the phases compute them come from the run it resumes, whose stored
 * options are the ones it ran with (a resume records its own), unless the resume gives them:
 * `run --market-data synthetic` stopped and then `run --resume` goes on with synthetic prices,
 * not with the database's setting.
 */
import type { RunOptions } from '../api/run-options';
import type { EngineStore } from '../ports/engine-store';
import type { HistoryRecord } from '../ports/store';

/**
 * The price source's options: taken from the run resumed as a whole, or not at all when the resume
 * names a source of its own (`--market-data` or `--csv-dir`): a CSV folder of an offline run means
 * nothing to a resume with `--market-data synthetic`, which would refuse it.
 */
const SOURCE_OPTIONS = ['marketData', 'csvDir', 'seed', 'allowMixedSources'] as const satisfies readonly (keyof RunOptions)[];
/** The option model's and the guard's overrides: each taken from the run resumed when the resume does not give it. */
const OVERRIDE_OPTIONS = ['impliedVol', 'riskFreeRate', 'maxMissingMarks'] as const satisfies readonly (keyof RunOptions)[];

type ResumeStore = Pick<EngineStore, 'getRun' | 'latestResumable'>;

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
 * The options of a run: for a resume, those it gives, completed by those of the run it resumes
 * (SOURCE_OPTIONS, OVERRIDE_OPTIONS), with the chunk size of the plan it continues. Looked up before the run takes the lock: `dead` is the run
 * of a stale lock, a killed run the resume will take over.
 */
export function withResumedOptions(input: RunOptions, store: ResumeStore, dead: HistoryRecord | null): RunOptions {
  if (!input.resume) return input;
  const run = runToResume(store, input.resume, dead);
  if (!run || !run.options) return input;
  const stored = run.options as Partial<RunOptions>;
  const out: Record<string, unknown> = { ...input };
  const ownSource = input.marketData !== undefined || input.csvDir !== undefined;
  const inherit = [...(ownSource ? [] : SOURCE_OPTIONS), ...OVERRIDE_OPTIONS];
  for (const k of inherit) if ((out[k] === undefined || out[k] === false) && stored[k] !== undefined) out[k] = stored[k];
  // The plan, its chunks included, is the chain's first run's (planner.ts): the resume records
  // the chunk size it runs with, not its own default of one chunk.
  const planOptions = resumeChain(store, run).at(-1)!.options as Partial<RunOptions> | null;
  if (planOptions?.chunkDays !== undefined) out['chunkDays'] = planOptions.chunkDays;
  return out as RunOptions;
}
