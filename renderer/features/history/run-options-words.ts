/**
 * A run's stored options (batch_run_history.options: the run options of SPEC.md g.1 as the run
 * parsed them, every default included, plus `resumed_run_id` for a resume, g.11) in words for
 * the History screen's runs table: "chunk size: one chunk, guard after the run: on, started from: CLI",
 * a resume named by the batch run id the rest of the app shows for the run it continues.
 */
import { codeWords } from '../telemetry/metric-format';

/** Who started a run (triggeredBy), as the app names them. */
const STARTED_FROM: Readonly<Record<string, string>> = { cli: 'CLI', app: 'app', serve: 'browser', schedule: 'schedule' };

/** Keys said together with another, or not at all (false, empty and null values say nothing). */
const HANDLED = new Set(['startDate', 'endDate', 'targetDate', 'resume', 'resumed_run_id', 'retryFailedPhases', 'phases', 'withPrerequisites', 'portfolios', 'chunkDays', 'dryRun', 'monitorOnly', 'trace', 'maxMissingMarks', 'marketData', 'csvDir', 'seed', 'allowMixedSources', 'impliedVol', 'riskFreeRate', 'guard', 'ignoreGate', 'triggeredBy']);

const shortId = (id: string): string => (id.length > 8 ? id.slice(0, 8) : id);
const pct = (v: number): string => `${Number((v * 100).toFixed(2))}%`;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The options in words, in a fixed order; `batchRunIdOf` names a run by its batch run id
 * (`batch_...`) when the history read has it, else the run shows by the start of its id.
 */
export function runOptionsWords(options: unknown, batchRunIdOf: (runId: string) => string | null = () => null): string[] {
  if (!options || typeof options !== 'object' || Array.isArray(options)) return [];
  const o = options as Record<string, unknown>;
  const runName = (id: string) => batchRunIdOf(id) ?? shortId(id);
  const words: string[] = [];
  const [start, end, target] = [str(o['startDate']), str(o['endDate']), str(o['targetDate'])];
  if (target) words.push(`date ${target}`);
  else if (start && end) words.push(start === end ? `date ${start}` : `dates ${start} to ${end}`);
  else if (start) words.push(`from ${start}`);
  else if (end) words.push(`up to ${end}`);
  const resumed = str(o['resumed_run_id']);
  const resume = str(o['resume']);
  if (resumed) words.push(`resumes ${runName(resumed)}`);
  else if (resume) words.push(resume === 'latest' ? 'resumes the latest stopped run' : `resumes ${runName(resume)}`);
  if (o['retryFailedPhases'] === true) words.push('retry failed phases');
  const phases = Array.isArray(o['phases']) ? o['phases'].filter((p): p is string => typeof p === 'string') : [];
  if (phases.length > 0) words.push(`phases: ${phases.map(codeWords).join(', ')}${o['withPrerequisites'] === true ? ' with prerequisites' : ''}`);
  const portfolios = Array.isArray(o['portfolios']) ? o['portfolios'].filter((p): p is string => typeof p === 'string') : [];
  if (portfolios.length > 0) words.push(`portfolio${portfolios.length === 1 ? '' : 's'}: ${portfolios.map(shortId).join(', ')}`);
  const chunk = num(o['chunkDays']);
  if (chunk !== null) words.push(chunk === 0 ? 'chunk size: one chunk' : `chunk size: ${chunk} day${chunk === 1 ? '' : 's'}`);
  if (o['dryRun'] === true) words.push('dry run');
  if (o['monitorOnly'] === true) words.push('monitor only');
  if (str(o['trace'])) words.push(`trace: ${str(o['trace'])}`);
  if (str(o['marketData'])) words.push(`prices: ${str(o['marketData'])}`);
  if (str(o['csvDir'])) words.push(`CSV folder: ${str(o['csvDir'])}`);
  if (num(o['seed']) !== null) words.push(`seed: ${num(o['seed'])}`);
  if (o['allowMixedSources'] === true) words.push('mixed price sources allowed');
  if (num(o['impliedVol']) !== null) words.push(`implied volatility: ${pct(num(o['impliedVol'])!)}`);
  if (num(o['riskFreeRate']) !== null) words.push(`risk-free rate: ${pct(num(o['riskFreeRate'])!)}`);
  // `guard` is the regression guard after the run (i.4, `--no-guard`); the missing-marks coverage guard (d.14) is maxMissingMarks.
  if (typeof o['guard'] === 'boolean') words.push(`guard after the run: ${o['guard'] ? 'on' : 'off'}`);
  if (num(o['maxMissingMarks']) !== null) words.push(`coverage guard: at most ${pct(num(o['maxMissingMarks'])!)} missing marks`);
  if (o['ignoreGate'] === true) words.push('regression gate ignored');
  const by = str(o['triggeredBy']);
  if (by) words.push(`started from: ${STARTED_FROM[by] ?? by}`);
  // Keys of another version: in words, when they say something.
  for (const [k, v] of Object.entries(o)) {
    if (HANDLED.has(k) || v === null || v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    words.push(v === true ? codeWords(k) : `${codeWords(k)}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return words;
}
