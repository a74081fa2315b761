/**
 * Run: choose dates (automatic, a range or one date), phases, chunk size, retry-failed, the
 * coverage-guard threshold and the provider, and in the Advanced group the option model's
 * implied volatility and risk-free rate and whether the regression guard runs after the run
 * (the options object the CLI's flags make, SPEC.md g.1; the CLI-only `--ignore-gate` is not
 * offered: a closed gate disables starting, host/handlers/app-advice.ts); the app checks every
 * value with the contract's schemas, and the dates as the engine does (an end before the
 * start, a date after the host's latest settled date, one outside the calendar's range), and
 * says what is wrong next to its field, from what the field holds now: a date given as it is
 * typed, every field once a preview was asked for (the browser's own checks are off; a number
 * field keeps the text typed, so text that is no number is said, never read as "not given");
 * preview the plan (a dry run, with what it will fetch) before starting, a plan of other
 * options than the form's now dimmed under a heading saying so; start, cancel and resume. A closed gate disables starting (SPEC.md i.4), and so does a plan
 * saying another process holds the database (g.4, g.9) until a new preview says otherwise; a
 * start refused for that goes once that process's run is seen to end or a preview finds the
 * file free, and any other refusal once the form changes or a new plan is made. Start says why
 * it is off until a plan is previewed, and Resume when the history holds no run to resume. While
 * a run is in progress (this app's, or another process's the live store watches), the screen
 * says which, how far it is and why Start and Resume are off, with the way to Live. The
 * form keeps the user's choices while other screens show, so also after the run it started. A
 * link's range (History's gaps, Missing prices' retry) opens the form once: its history entry
 * becomes the plain Run screen, so Back and Forward show the form as the user left it.
 */
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { z } from 'zod';
import { MAX_CHUNK_DAYS, maxMissingMarksSchema, runOptionsSchema, type RunOptionsInput } from '../../../core/api/run-options';
import { PHASE_NAMES, type PhaseName } from '../../../core/domain/phase';
import { useClient, useKeptState, useLive, useServices } from '../../app-context';
import { errorText } from '../../engine-client/engine-error';
import { useLinkOnce, useNavigation } from '../../navigation';
import { planSchema, type Plan } from '../../state/run-plan';
import { fmtInt, phaseLabel, withAppTimes } from '../../ui/format';
import { fieldNumber } from '../../ui/number-field';
import { OPTION_MODEL_LABELS, OPTION_MODEL_WORDS, optionModelPlaceholder, readOptionModel } from '../../ui/option-model';
import { ErrorState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useGate } from './use-gate';
import { PortfolioOptions } from '../../ui/portfolio-options';
import { RUN_FORM_LABELS } from './run-form-labels';
import { CancelNote, StartOutcome } from './start-outcome';
import { activeRunOf, ActiveRunNotice } from './active-run';
import { FetchPlan } from './fetch-plan';
import { reasonTitle } from '../telemetry/reason-words';

type DateMode = 'automatic' | 'range' | 'single';

interface FormState {
  dateMode: DateMode;
  startDate: string;
  endDate: string;
  targetDate: string;
  phases: PhaseName[];
  withPrerequisites: boolean;
  chunkDays: string;
  retryFailedPhases: boolean;
  maxMissingMarks: string;
  marketData: '' | 'online' | 'offline' | 'synthetic';
  portfolio: string;
  /** The option model's overrides for this run (d.2.3); empty: the setting. */
  impliedVol: string;
  riskFreeRate: string;
  /** `run --no-guard`: the regression guard does not run after the run (i.4). */
  noGuard: boolean;
}

const INITIAL: FormState = {
  dateMode: 'automatic',
  startDate: '',
  endDate: '',
  targetDate: '',
  phases: [],
  withPrerequisites: false,
  chunkDays: '0',
  retryFailedPhases: false,
  maxMissingMarks: '',
  marketData: '',
  portfolio: '',
  impliedVol: '',
  riskFreeRate: '',
  noGuard: false,
};

/** How many runs of the history are read to tell whether one can be resumed. */
const RUNS_SCANNED = 200;

/** The plan says a run now would be refused because the database is held (g.4: a run lock, or SQLite's write lock). */
const saysHeld = (p: Plan): boolean => p.refused_by.includes('locked');

/** The ids of the sentences saying why Start is off: a run in progress, a plan saying the file is held, no current plan. */
/** A planned date's skipped portfolios by reason, in words: "2 portfolios: before the portfolio's first entry (before_first_entry)". */
function skippedText(skipped: readonly { readonly reason: string }[]): string {
  if (skipped.length === 0) return '-';
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
  return [...byReason].map(([reason, n]) => `${n} portfolio${n === 1 ? '' : 's'}: ${reasonTitle(reason)}`).join('; ');
}

function startOffReasons(activeRun: boolean, held: boolean, planIsCurrent: boolean): string | undefined {
  const ids = [activeRun ? 'run-start-busy' : '', held ? 'run-start-held' : '', planIsCurrent ? '' : 'run-start-preview'].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** The chunk size's range, the contract's (g.5). */
const chunkDaysSchema = runOptionsSchema.shape.chunkDays.unwrap();

/** The words saying what each number field of the form takes, when it holds something else. */
const NUMBER_FIELD_WORDS = {
  chunkDays: `Chunk size is a whole number of days from 0 to ${fmtInt(MAX_CHUNK_DAYS)} (0 = one chunk).`,
  maxMissingMarks: 'The coverage guard is a fraction between 0 and 1.',
  ...OPTION_MODEL_WORDS,
} as const;

/** The fields whose value the form checks, each said wrong next to it. */
type CheckedField = 'startDate' | 'endDate' | 'targetDate' | keyof typeof NUMBER_FIELD_WORDS;
type FieldProblems = Partial<Record<CheckedField, string>>;

/** The fields holding a date: a date given is checked as it is typed, a missing one once a preview is asked for. */
const DATE_FIELDS = ['startDate', 'endDate', 'targetDate'] as const;

/** A run date as the contract takes it (core/api/run-options.ts): a real date inside the trading calendar's range. */
const runDateSchema = runOptionsSchema.shape.startDate.unwrap();

/**
 * What is wrong with a date the contract does not take, in its words: "outside the calendar
 * range 2000-01-01..2030-12-31" (the engine's calendar, read from the contract's date schema).
 */
function calendarProblem(date: string): string | undefined {
  const read = runDateSchema.safeParse(date);
  return read.success ? undefined : `${date}: ${read.error.issues.map((i) => i.message).join('; ')}.`;
}

/**
 * What is wrong with a date the engine would refuse as not settled yet (core/engine/planner.ts
 * checkSettledDate): one after the latest settled trading day at the host's clock. Unknown
 * (`latestSettled` null), the engine's own check stands.
 */
function unsettledProblem(date: string, latestSettled: string | null): string | undefined {
  return latestSettled !== null && date > latestSettled ? `${date} is after the latest settled date, ${latestSettled}: its close is not settled yet.` : undefined;
}

/**
 * The run options of the form, or, field by field, the sentence saying what is missing or
 * wrong: the numbers are read with the contract's own schemas (core/api/run-options.ts), and
 * the dates with its date schema (inside the calendar's range) and as the engine checks them
 * (the end not before the start, none after `latestSettled`, the latest settled date), so the
 * form refuses what the engine would, and
 * says so next to the field instead of sending it.
 */
export function optionsOf(f: FormState, latestSettled: string | null = null): { ok: true; options: RunOptionsInput } | { ok: false; problems: FieldProblems } {
  const o: RunOptionsInput = { phases: f.phases, withPrerequisites: f.withPrerequisites, retryFailedPhases: f.retryFailedPhases, triggeredBy: 'app' };
  const problems: FieldProblems = {};
  if (f.dateMode === 'range') {
    if (f.startDate) o.startDate = f.startDate;
    if (f.endDate) o.endDate = f.endDate;
    const start = f.startDate ? (calendarProblem(f.startDate) ?? unsettledProblem(f.startDate, latestSettled)) : 'Choose a start date.';
    const beforeStart = f.startDate && f.endDate < f.startDate ? `The end date is before the start date, ${f.startDate}.` : undefined;
    const end = f.endDate ? (calendarProblem(f.endDate) ?? beforeStart ?? unsettledProblem(f.endDate, latestSettled)) : undefined;
    if (start) problems.startDate = start;
    if (end) problems.endDate = end;
  } else if (f.dateMode === 'single') {
    if (f.targetDate) o.targetDate = f.targetDate;
    const target = f.targetDate ? (calendarProblem(f.targetDate) ?? unsettledProblem(f.targetDate, latestSettled)) : 'Choose the date.';
    if (target) problems.targetDate = target;
  }
  const numbers = {
    chunkDays: fieldNumber(f.chunkDays, chunkDaysSchema, NUMBER_FIELD_WORDS.chunkDays),
    maxMissingMarks: fieldNumber(f.maxMissingMarks, maxMissingMarksSchema, NUMBER_FIELD_WORDS.maxMissingMarks),
  };
  for (const [field, read] of Object.entries(numbers) as [keyof typeof numbers, ReturnType<typeof fieldNumber>][]) {
    if ('problem' in read) problems[field] = read.problem;
    else if (read.value !== undefined) o[field] = read.value;
  }
  const model = readOptionModel({ impliedVol: f.impliedVol, riskFreeRate: f.riskFreeRate });
  Object.assign(problems, model.problems);
  Object.assign(o, model.values);
  o.chunkDays ??= 0;
  if (f.noGuard) o.guard = false;
  if (f.marketData) o.marketData = f.marketData;
  if (f.portfolio) o.portfolios = [f.portfolio];
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, options: o };
}

/** The problems of the dates the form holds, said as they are typed, before any preview. */
function typedDateProblems(f: FormState, problems: FieldProblems): FieldProblems {
  return Object.fromEntries(DATE_FIELDS.filter((field) => f[field] !== '' && problems[field]).map((field) => [field, problems[field]]));
}

/**
 * A field's message, next to it (FieldWithProblem): its id for the field's aria-describedby,
 * or undefined when the field is fine.
 */
const problemId = (field: CheckedField, problems: FieldProblems): string | undefined => (problems[field] ? `run-${field}-problem` : undefined);

/**
 * A field of the form with what is wrong with it under it. The message is no part of the
 * label (the field's name stays its name); the field points at it with aria-describedby.
 */
function FieldWithProblem({ field, problems, children }: { field: CheckedField; problems: FieldProblems; children: ReactNode }) {
  const problem = problems[field];
  return (
    <div className="field">
      {children}
      {problem ? (
        <span className="error-text field-note" id={problemId(field, problems)} role="alert" data-testid={problemId(field, problems)}>
          {problem}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The cancelled or interrupted runs no resume has continued: a resume run names the run it
 * continues in its options (`resumed_run_id`, g.11), and a resumed run cannot be resumed again.
 * A rebuild's run (mode 'rebuild') is not resumable either: the rebuild is run again (j.5).
 */
export function resumableRuns<R extends { id: string; status: string | null; mode: string | null; options: unknown }>(runs: readonly R[]): R[] {
  const resumed = new Set(runs.filter((r) => r.mode === 'resume').map((r) => (r.options as { resumed_run_id?: unknown } | null)?.resumed_run_id));
  return runs.filter((r) => (r.status === 'cancelled' || r.status === 'interrupted') && r.mode !== 'rebuild' && !resumed.has(r.id));
}

/** Where another screen opens the Run screen: a range (History's gaps) and, for the dates an import made stale, retry mode. */
export interface RunScreenOpening {
  readonly startDate: string;
  /** The latest date when absent. */
  readonly endDate?: string | undefined;
  readonly retryFailedPhases?: boolean;
}

/** The opening a route's parameters name (`startDate`, `endDate`, `retry=1`), or none. */
export function runOpening(params: Readonly<Record<string, string>>): RunScreenOpening | undefined {
  const startDate = params['startDate'];
  return startDate ? { startDate, endDate: params['endDate'], retryFailedPhases: params['retry'] === '1' } : undefined;
}

/** The form opened on `opening`: that range, retry mode as asked, every other choice at its default. */
function formOpenedOn(opening: RunScreenOpening): FormState {
  return { ...INITIAL, dateMode: 'range', startDate: opening.startDate, endDate: opening.endDate ?? '', retryFailedPhases: opening.retryFailedPhases ?? false };
}

/**
 * `opening` (History's gaps, the Missing prices screen's retry after an import) opens the form
 * on that range, once (useLinkOnce): Back to the link's entry shows the form as the user left
 * it; a reload (nothing kept) opens on the range again. Otherwise it opens with the choices it
 * was left with.
 */
export function RunScreen({ opening }: { opening?: RunScreenOpening | undefined } = {}) {
  const client = useClient();
  const { live: store } = useServices();
  const live = useLive();
  const { navigate } = useNavigation();
  const gate = useGate();
  // The form is as the user left it (also after the run it started), unless opened on a range.
  const linked = useLinkOnce(opening !== undefined);
  const [form, setForm] = useKeptState<FormState>('run.form', (kept) => (opening && (linked || kept === undefined) ? formOpenedOn(opening) : (kept ?? INITIAL)));
  // `endedBefore`: the run of another process seen ended when the plan was made (its end is not news to it).
  const [plan, setPlan] = useState<{ plan: Plan; key: string; endedBefore: string | null } | null>(null);
  const [busy, setBusy] = useState<'plan' | 'start' | 'cancel' | 'resume' | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  // A date given says what is wrong with it as it is typed; once a preview was asked for, every
  // field does (also a date still to choose), from what it holds now: a message goes as soon as
  // its field is fixed.
  const [checked, setChecked] = useState(false);
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  const settings = useAsync(() => client.call('getSettings', {}), [client]);
  const status = useAsync(() => client.call('getRunStatus', {}), [client, live.phase]);
  // The history again after each run, refused start and run of another process (also one seen only in the history).
  const runs = useAsync(() => client.call('listRuns', { limit: RUNS_SCANNED }), [client, live.phase, live.start?.state, live.otherRun.state, live.latestRun]);
  // The latest settled date at the host's clock (a one-row tracking listing carries it), for the dates the form checks.
  const tracking = useAsync(() => client.call('getTracking', { limit: 1 }), [client]);
  const built = optionsOf(form, tracking.data?.latestSettledDate ?? null);
  const problems: FieldProblems = built.ok ? {} : checked ? built.problems : typedDateProblems(form, built.problems);
  const problemProps = (field: CheckedField) => ({ 'aria-invalid': problems[field] ? true : undefined, 'aria-describedby': problemId(field, problems) });
  const key = built.ok ? JSON.stringify(built.options) : '';
  const planIsCurrent = plan !== null && plan.key === key;
  const running = live.phase === 'running' || status.data?.state === 'running' || status.data?.state === 'cancelling';
  // The run in progress, this app's or another process's: Start and Resume are off until it ends, and it says why.
  const active = activeRunOf(live, status.data);
  const busyRun = running || active !== null;
  const gateClosed = gate?.state === 'closed';
  const storedMode = settings.data?.settings.find((s) => s.key === 'market_data.mode')?.value as string | undefined;
  const stored = (key: string) => settings.data?.settings.find((s) => s.key === key)?.value as number | undefined;
  const storedGuard = stored('guard.max_missing_marks');

  useEffect(() => setMessage(null), [key]);

  // The plan says the file is held; the live store watches for the end of the run that holds it.
  const planSaysHeld = plan !== null && saysHeld(plan.plan);
  const otherEnded = live.otherRun.state === 'finished' ? live.otherRun.run.runId : null;
  const heldRunEnded = planSaysHeld && otherEnded !== null && otherEnded !== plan.endedBefore;
  // Resume takes the latest cancelled or interrupted run that no resume continued yet (g.11): none in the whole
  // history (an answer shorter than asked for is all of it), nothing to resume.
  const nothingToResume = runs.data !== undefined && runs.data.runs.length < RUNS_SCANNED && resumableRuns(runs.data.runs).length === 0;

  // A change of the options makes an earlier start's outcome past.
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    store.clearRefusal();
  };
  const togglePhase = (p: PhaseName) => set('phases', form.phases.includes(p) ? form.phases.filter((x) => x !== p) : PHASE_NAMES.filter((x) => x === p || form.phases.includes(x)));

  const preview = async (e?: FormEvent) => {
    e?.preventDefault();
    setChecked(true);
    // The latest settled date moves on while the screen stays open: the form's next check uses today's.
    tracking.reload();
    if (!built.ok) return;
    setBusy('plan');
    try {
      const r = await client.call('planRun', built.options);
      const next = planSchema.parse(r.plan);
      setPlan({ plan: next, key, endedBefore: otherEnded });
      // A new plan makes an earlier start's outcome past, but for a refusal because the file is held while it still says so.
      store.clearRefusal(saysHeld(next) ? 'not-locked' : 'all');
    } catch (err) {
      setPlan(null);
      setMessage({ kind: 'error', text: errorText(err, RUN_FORM_LABELS) });
    } finally {
      setBusy(null);
    }
  };

  // The form stays until the run has started: a refusal shows under it (StartOutcome).
  const start = async () => {
    if (!built.ok || !plan || !planIsCurrent) return;
    setBusy('start');
    const started = await store.startRun(built.options, plan.plan.dates.map((d) => d.date));
    setBusy(null);
    if (started) navigate('live');
  };

  const cancel = async () => {
    setBusy('cancel');
    try {
      // A requested cancel shows from the live state (CancelNote) until the run has stopped.
      const r = await store.cancelRun();
      if (!r.requested) setMessage({ kind: 'info', text: 'No run is in progress in this app.' });
      status.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const resume = async () => {
    setBusy('resume');
    const started = await store.resumeRun();
    setBusy(null);
    if (started) navigate('live');
  };

  const planSummary = useMemo(() => {
    if (!plan) return null;
    const p = plan.plan;
    const portfolioDates = p.dates.reduce((a, d) => a + d.portfolios.length, 0);
    return { dates: p.dates.length, chunks: p.chunks.length, portfolioDates, first: p.dates[0]?.date, last: p.dates[p.dates.length - 1]?.date };
  }, [plan]);

  return (
    <section aria-labelledby="run-title" data-testid="screen-run">
      <h1 id="run-title" tabIndex={-1}>
        Run the batch
      </h1>
      {active ? <ActiveRunNotice run={active} reasonId="run-start-busy" onOpenLive={() => navigate('live')} /> : null}
      {/* noValidate: the app checks every value itself (optionsOf) and says what is wrong; the
          browser's own checks would block the submit without a word on the form. */}
      <form className="run-form" onSubmit={preview} noValidate>
        <fieldset>
          <legend>Dates</legend>
          {(['automatic', 'range', 'single'] as const).map((m) => (
            <label key={m} className="inline">
              <input type="radio" name="dateMode" value={m} checked={form.dateMode === m} onChange={() => set('dateMode', m)} />
              {m === 'automatic' ? 'Automatic (from the last processed date)' : m === 'range' ? 'Date range' : 'Single date'}
            </label>
          ))}
          {form.dateMode === 'range' ? (
            <div className="row">
              <FieldWithProblem field="startDate" problems={problems}>
                <label>
                  Start date
                  <input type="date" value={form.startDate} onChange={(e) => set('startDate', e.target.value)} {...problemProps('startDate')} data-testid="run-start-date" />
                </label>
              </FieldWithProblem>
              <FieldWithProblem field="endDate" problems={problems}>
                <label>
                  End date
                  <input
                    type="date"
                    value={form.endDate}
                    onChange={(e) => set('endDate', e.target.value)}
                    {...problemProps('endDate')}
                    aria-describedby={form.endDate ? problemId('endDate', problems) : 'run-end-date-hint'}
                    data-testid="run-end-date"
                  />
                </label>
                {/* An empty end date runs to the latest settled date (g.1), as History's gaps ask; said under the field it is about. */}
                {form.endDate ? null : (
                  <span id="run-end-date-hint" className="field-note muted" data-testid="run-end-date-hint">
                    Empty: up to the latest settled date.
                  </span>
                )}
              </FieldWithProblem>
            </div>
          ) : null}
          {form.dateMode === 'single' ? (
            <FieldWithProblem field="targetDate" problems={problems}>
              <label>
                Date
                <input type="date" value={form.targetDate} onChange={(e) => set('targetDate', e.target.value)} {...problemProps('targetDate')} data-testid="run-target-date" />
              </label>
            </FieldWithProblem>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Phases (none checked = all)</legend>
          {PHASE_NAMES.map((p) => (
            <label key={p} className="inline">
              <input type="checkbox" checked={form.phases.includes(p)} onChange={() => togglePhase(p)} />
              {phaseLabel(p)}
            </label>
          ))}
          <label className="inline">
            <input type="checkbox" checked={form.withPrerequisites} onChange={(e) => set('withPrerequisites', e.target.checked)} />
            add missing prerequisite phases
          </label>
        </fieldset>
        <fieldset>
          <legend>Options</legend>
          <div className="row">
            <FieldWithProblem field="chunkDays" problems={problems}>
              <label>
                Chunk size (calendar days, 0 = one chunk)
                <input type="text" inputMode="numeric" value={form.chunkDays} onChange={(e) => set('chunkDays', e.target.value)} {...problemProps('chunkDays')} data-testid="run-chunk-days" />
              </label>
            </FieldWithProblem>
            <FieldWithProblem field="maxMissingMarks" problems={problems}>
              <label>
                Coverage guard (max missing marks, 0..1)
                <input
                  type="text"
                  inputMode="decimal"
                  placeholder={storedGuard !== undefined ? String(storedGuard) : '0.05'}
                  value={form.maxMissingMarks}
                  onChange={(e) => set('maxMissingMarks', e.target.value)}
                  {...problemProps('maxMissingMarks')}
                  data-testid="run-max-missing-marks"
                />
              </label>
            </FieldWithProblem>
            <label>
              Provider
              <select value={form.marketData} onChange={(e) => set('marketData', e.target.value as FormState['marketData'])}>
                <option value="">setting ({storedMode ?? 'online'})</option>
                <option value="online">online (Yahoo)</option>
                <option value="offline">offline (cache and CSV)</option>
                <option value="synthetic">synthetic</option>
              </select>
            </label>
            <label>
              Portfolio
              <select value={form.portfolio} onChange={(e) => set('portfolio', e.target.value)}>
                <PortfolioOptions list={portfolios.data} allLabel="all portfolios" />
              </select>
            </label>
          </div>
          <label className="inline">
            <input type="checkbox" checked={form.retryFailedPhases} onChange={(e) => set('retryFailedPhases', e.target.checked)} />
            retry failed phases only (failed, skipped by a failure, guard-skipped and stale cells)
          </label>
        </fieldset>
        <fieldset>
          <legend>Advanced</legend>
          <div className="row">
            <FieldWithProblem field="impliedVol" problems={problems}>
              <label>
                {OPTION_MODEL_LABELS.impliedVol}
                <input
                  type="text"
                  inputMode="decimal"
                  placeholder={optionModelPlaceholder('impliedVol', settings.data?.settings)}
                  value={form.impliedVol}
                  onChange={(e) => set('impliedVol', e.target.value)}
                  {...problemProps('impliedVol')}
                  data-testid="run-implied-vol"
                />
              </label>
            </FieldWithProblem>
            <FieldWithProblem field="riskFreeRate" problems={problems}>
              <label>
                {OPTION_MODEL_LABELS.riskFreeRate}
                <input
                  type="text"
                  inputMode="decimal"
                  placeholder={optionModelPlaceholder('riskFreeRate', settings.data?.settings)}
                  value={form.riskFreeRate}
                  onChange={(e) => set('riskFreeRate', e.target.value)}
                  {...problemProps('riskFreeRate')}
                  data-testid="run-risk-free-rate"
                />
              </label>
            </FieldWithProblem>
          </div>
          <label className="inline">
            <input type="checkbox" checked={form.noGuard} onChange={(e) => set('noGuard', e.target.checked)} data-testid="run-no-guard" />
            no guard: do not run the regression guard after the run
          </label>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={busy !== null} data-testid="run-preview">
            {busy === 'plan' ? 'Planning...' : 'Preview plan'}
          </button>
          <button
            type="button"
            className="primary"
            disabled={!planIsCurrent || busy !== null || busyRun || gateClosed || planSaysHeld || !planSummary?.dates}
            aria-describedby={startOffReasons(active !== null, planSaysHeld, planIsCurrent)}
            onClick={start}
            data-testid="run-start"
          >
            {busy === 'start' ? 'Starting...' : 'Start run'}
          </button>
          <button type="button" disabled={!running || busy !== null} onClick={cancel} data-testid="run-cancel">
            Cancel run
          </button>
          <button
            type="button"
            disabled={busyRun || busy !== null || gateClosed || nothingToResume}
            aria-describedby={active ? 'run-start-busy' : nothingToResume ? 'run-resume-none' : undefined}
            onClick={resume}
            data-testid="run-resume"
          >
            Resume last cancelled or interrupted run
          </button>
        </div>
        {nothingToResume ? (
          <p className="note" id="run-resume-none" data-testid="run-resume-none">
            Nothing to resume: the history holds no cancelled or interrupted run that was not resumed already.
          </p>
        ) : null}
        {gateClosed ? <p className="note bad">The regression gate is closed: starting a run is disabled.</p> : null}
        {planSaysHeld ? (
          <p className="note bad" id="run-start-held" data-testid="run-start-held">
            {heldRunEnded
              ? 'The run by another process that held the database has ended: preview the plan again to start.'
              : 'Another process holds the database, so the plan says a run now would be refused: starting is disabled. Live shows its run and can ask it to stop; preview the plan again once it has ended.'}
          </p>
        ) : null}
        {!planIsCurrent ? (
          <p className="note" id="run-start-preview" data-testid="run-start-preview">
            {plan ? 'The options changed since the preview: preview the plan again before starting.' : 'Preview the plan first: Start runs the plan it shows.'}
          </p>
        ) : null}
        {message ? (
          <p className={message.kind === 'error' ? 'note bad' : 'note'} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        ) : null}
        <CancelNote live={live} />
        <StartOutcome start={live.start} />
      </form>
      {status.error ? <ErrorState error={status.error} onRetry={status.reload} /> : null}
      {/* A plan of other options than the form's now (changed, or no longer valid) is dimmed and
          says so: its dates may be none the form shows, and Start is off until a new preview. */}
      {plan ? (
        <section className={planIsCurrent ? 'plan' : 'plan stale'} aria-labelledby="plan-title" data-testid="plan-preview">
          <h2 id="plan-title">{planIsCurrent ? 'Plan (dry run)' : "Plan of the earlier options (dry run): not the form's options now"}</h2>
          {plan.plan.up_to_date ? <p className="note">{plan.plan.up_to_date}</p> : null}
          <p>
            {planSummary?.first ? (
              <>
                {planSummary.first === planSummary.last ? 'Date' : 'Dates'}{' '}
                <strong data-testid="plan-span">{planSummary.first === planSummary.last ? planSummary.first : `${planSummary.first} .. ${planSummary.last}`}</strong> (the latest settled date is{' '}
                {plan.plan.target_date})
              </>
            ) : (
              <>
                Latest settled date <strong>{plan.plan.target_date}</strong>
              </>
            )}
            , mode {plan.plan.mode ?? 'normal'}: <strong data-testid="plan-dates">{fmtInt(planSummary?.dates)}</strong> date(s) in {fmtInt(planSummary?.chunks)} chunk(s),{' '}
            {fmtInt(planSummary?.portfolioDates)} portfolio-date(s).
          </p>
          <FetchPlan plan={plan.plan} />
          {plan.plan.warnings.length > 0 ? (
            <ul className="warnings">
              {plan.plan.warnings.map((w, i) => (
                <li key={i}>{typeof w === 'string' ? withAppTimes(w) : JSON.stringify(w)}</li>
              ))}
            </ul>
          ) : null}
          <details>
            <summary>Dates, portfolios and phases</summary>
            <table className="simple">
              <thead>
                <tr>
                  <th>Date</th>
                  <th>Date phases</th>
                  <th>Portfolios</th>
                  <th>Skipped</th>
                </tr>
              </thead>
              <tbody>
                {plan.plan.dates.slice(0, 500).map((d) => (
                  <tr key={d.date}>
                    <td>{d.date}</td>
                    <td>{d.date_phases.map(phaseLabel).join(', ') || '-'}</td>
                    <td>{d.portfolios.length}</td>
                    <td>{skippedText(d.skipped)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
      ) : null}
    </section>
  );
}
