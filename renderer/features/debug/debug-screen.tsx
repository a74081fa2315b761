/**
 * Debug a date (SPEC.md g.12, m.21): pick a date, a portfolio and phases, and the option
 * model's overrides for the run if any (d.2.3, as on the Run form); the engine runs
 * monitor-only with a trace on the working database (everything rolls back) and this screen
 * shows, per phase, the inputs it read, the rows it computed, the stored rows and the
 * differences, in pipeline order, with the date-level rows first (one card: their differences,
 * each date phase's inputs, the rows computed and stored). Each card leads with its phase's
 * outcome; a phase that did not succeed computed none of its rows, so its card says so instead
 * of comparing them. A date on which nothing runs says so, with the engine's reason. The
 * verdict counts what the sections show: the date-level rows, and the portfolio-dates by
 * status, each section saying its own; the portfolio-dates not run because a date-level phase failed first (nothing of
 * them was compared) are counted apart, naming that phase. A table's differences name every
 * column that changed beyond the comparison's tolerance, text and dates included; a number
 * that differs only within it is shown as within tolerance, naming the tolerance, as the CLI
 * does not count it either. The run's exit code says what it means (for 4, the check that
 * failed: the comparison). A run that did not complete (failed, cancelled, or partial: some
 * phases failed, or the coverage guard skipped some) says which, with each failed phase's reason
 * as the CLI prints it and the portfolio named. A refused date (not a trading day, not settled
 * yet) is a message under the form's fields, describing the date; a Saturday or Sunday is said
 * there by the form itself as soon as it is chosen, and is not sent (holidays stay the engine's
 * check, its calendar); a locked database says who holds the lock.
 */
import { useMemo, useState } from 'react';
import type { CommandOutput } from '../../../core/api/contract';
import { tracePhaseOutcomeSchema, type MonitorStatusName, type MonitorVerdict, type TraceDocument, type TracePhaseOutcome } from '../../../core/api/commands/debug-commands';
import { dayOfWeek, type IsoDate } from '../../../core/domain/iso-date';
import { PHASE_NAMES, type PhaseName } from '../../../core/domain/phase';
import { useClient, useKeptState } from '../../app-context';
import { EngineError, errorText } from '../../engine-client/engine-error';
import { useLinkOnce } from '../../navigation';
import { exitCodeText } from '../../ui/exit-code';
import { downloadText } from '../../ui/export-file';
import { fmtBytes, fmtMoney, phaseLabel, withAppTimes } from '../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { PortfolioOptions } from '../../ui/portfolio-options';
import { OPTION_MODEL_LABELS, optionModelPlaceholder, readOptionModel, type OptionModelField } from '../../ui/option-model';
import { ReasonText } from '../telemetry/reason-words';

/** The form's words for the debugDate input, for the engine's messages. */
const DEBUG_LABELS = { date: 'date', portfolios: 'portfolio', phases: 'phases' };

/**
 * What is wrong with a date on a weekend, in the words the engine refuses a day that is not a
 * trading day with (core/engine/planner.ts); a holiday is the engine's to say (its calendar).
 */
function weekendProblem(date: string): string | undefined {
  if (date === '') return undefined;
  const day = dayOfWeek(date as IsoDate);
  return day === 0 || day === 6 ? `${date} is not a trading day: it is a ${day === 0 ? 'Sunday' : 'Saturday'}.` : undefined;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** A status of the monitor (g.12) in the words of the verdict and of each section. */
const STATUS_WORDS: Record<MonitorStatusName, string> = {
  failed: 'failed (rolled back)',
  not_run: 'not run (a date-level phase failed first)',
  different: 'differ from the stored results',
  new: 'new (nothing stored yet)',
  same: 'the same as stored',
};

/** The statuses of compared entries in the order the verdict names them: what needs a look first. */
const STATUS_ORDER: readonly Exclude<MonitorStatusName, 'not_run'>[] = ['failed', 'different', 'new', 'same'];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The monitor report's verdict (g.12), in the sections' terms: the date-level rows (one date)
 * by their status, the portfolio-dates compared counted per status, and those not run because
 * a date-level phase failed first (nothing of them was compared), naming that phase.
 */
function monitorVerdict(m: MonitorVerdict): string {
  const dateStatus = STATUS_ORDER.find((k) => m.date_level[k] > 0);
  const p = m.portfolio_dates;
  if (m.clean) return `Nothing differs from the stored results: the date-level rows and ${plural(p.compared, 'portfolio-date')} are the same.`;
  const counts = STATUS_ORDER.filter((k) => p[k] > 0).map((k) => (k === 'different' ? `${p[k]} ${p[k] === 1 ? 'differs' : 'differ'} from the stored results` : `${p[k]} ${STATUS_WORDS[k]}`));
  const failedFirst = m.entries.find((e) => e.status === 'not_run' && e.date_failed_phase)?.date_failed_phase;
  const notRun = `${plural(p.not_run, 'portfolio-date')} not run: ${failedFirst ? `the date's ${phaseLabel(failedFirst)} phase` : 'a date-level phase'} failed before ${p.not_run === 1 ? 'it' : 'them'}, so nothing of ${p.not_run === 1 ? 'it' : 'them'} was compared.`;
  return [dateStatus ? `Date-level rows: ${STATUS_WORDS[dateStatus]}.` : '', p.compared > 0 ? `Portfolio-dates (${p.compared}): ${counts.join(', ')}.` : '', p.not_run > 0 ? notRun : ''].filter(Boolean).join(' ');
}

/**
 * The check whose failure gives a monitor-only run exit code 4 (g.12; the debug run has no
 * guard): the computed rows against the stored ones. The verdict after it says which differ.
 */
const MONITOR_CHECK = 'the monitor-only comparison found results that are not the same as stored';

/**
 * The reason the missing-marks coverage guard (c.3) gives the phase it skips: such a skip makes a
 * portfolio-date partial though no phase failed, and the skipped phase's card shows it.
 */
const COVERAGE_GUARD_REASON = 'insufficient_marks';

/**
 * What the trace documents' outcomes say of a run that did not complete: whether a phase
 * failed, and the portfolios (ids) whose phase the coverage guard skipped, per phase.
 */
function tracedOutcomes(documents: readonly TraceDocument[]): { failed: boolean; guarded: Map<string, string[]> } {
  const guarded = new Map<string, string[]>();
  let failed = false;
  for (const doc of documents) {
    const outcome = outcomeOf(obj(doc.document));
    if (outcome?.status === 'failed') failed = true;
    if (outcome?.status === 'skipped' && outcome.reason === COVERAGE_GUARD_REASON && doc.portfolioId) guarded.set(doc.phase, [...(guarded.get(doc.phase) ?? []), doc.portfolioId]);
  }
  return { failed, guarded };
}

/**
 * What a run that did not complete means for the rows shown, per run state. A partial run says
 * what made it partial: failed phases, the coverage guard's skips (`guardSkips`, in words), or,
 * with neither known, both possibilities.
 */
function failureSentence(state: string, failed: boolean, guardSkips: readonly string[]): string {
  if (state === 'failed') return 'The monitor-only run failed: the rows below are only what was computed before the failure.';
  if (state === 'cancelled') return 'The monitor-only run was cancelled: the rows below are only what was computed before it stopped.';
  if (state === 'partial') {
    const what = [...(failed ? ['some phases failed'] : []), ...guardSkips];
    return `The monitor-only run completed, but ${what.length > 0 ? what.join('; ') : 'some phases failed or were skipped'}: the rows below are those of the phases that ran.`;
  }
  return `The monitor-only run ended ${state}: the rows below may be incomplete.`;
}

/**
 * A failure reason with its portfolio named: the engine's lines name a portfolio-date's phase
 * as `marks[ab46c3c0]` (an 8-character id prefix, as the CLI prints them); a prefix that
 * matches one known portfolio becomes `marks (Demo Growth)`.
 */
function namedReason(reason: string, names: ReadonlyMap<string, string>): string {
  return reason.replace(/\b([a-z_]+)\[([0-9a-f]{8})\]/g, (all, phase: string, prefix: string) => {
    const matches = [...names].filter(([id]) => id.startsWith(prefix));
    return matches.length === 1 ? `${phase} (${matches[0]![1]})` : all;
  });
}

/**
 * Why the run did not complete, from what the page has: the failed phases' reasons, listed, and
 * the phases the coverage guard skipped (a partial run with only those is a warning, not a
 * failure). The run's log is named only when nothing on the page says why.
 */
function RunFailures({ state, failures, documents, names }: { state: string; failures: readonly string[]; documents: readonly TraceDocument[]; names: ReadonlyMap<string, string> }) {
  const traced = tracedOutcomes(documents);
  const failed = failures.length > 0 || traced.failed;
  const guardSkips = [...traced.guarded].map(([phase, ids]) => `${phaseLabel(phase)} was skipped by the coverage guard for ${plural(ids.length, 'portfolio')} (${ids.map((id) => names.get(id) ?? id).join(', ')})`);
  const bad = state !== 'partial' || failed;
  return (
    <div className={`note ${bad ? 'bad' : 'warn'}`} role={bad ? 'alert' : undefined} data-testid="debug-failures">
      <p>{failureSentence(state, failed, guardSkips)}</p>
      {failures.length > 0 ? (
        <ul>
          {failures.map((f) => (
            <li key={f}>{namedReason(f, names)}</li>
          ))}
        </ul>
      ) : !traced.failed && guardSkips.length === 0 ? (
        <p>Its reasons are in the run's log (the Live screen's event log).</p>
      ) : null}
    </div>
  );
}

/** A refused debugDate that is no crash: a lock held by another run or operation (SPEC.md g.9). */
function LockRefusal({ error }: { error: EngineError }) {
  return (
    <div className="note bad" role="alert" data-testid="debug-locked">
      Not run: {withAppTimes(error.message)}
    </div>
  );
}

function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = useMemo(() => JSON.stringify(value, null, 2) ?? 'null', [value]);
  const big = text.length > 200_000;
  return (
    <details>
      <summary>
        {label} <span className="muted">({fmtBytes(new TextEncoder().encode(text).length)})</span>
      </summary>
      <pre className="json">{big ? `${text.slice(0, 200_000)}\n... (truncated; use Export)` : text}</pre>
    </details>
  );
}

/**
 * A column's largest absolute difference at its precision: money to the cent, ratios (betas,
 * returns, weights, counts) to 6 significant digits.
 */
function fmtDiff(v: number, money: boolean): string {
  if (money) return fmtMoney(v);
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
}

const numbers = (v: unknown): Map<string, number> => new Map(Object.entries(obj(v)).filter((e): e is [string, number] => typeof e[1] === 'number'));

/** A difference within tolerance at two significant digits: at the cent it would read 0.00. */
const fmtSmall = (v: number): string => String(Number(v.toPrecision(2)));

/** The tolerances the comparison (g.12) judged numbers by: money's, and every other number's. */
type ComparisonTolerances = MonitorVerdict['tolerances'];

/**
 * A table's differences per column, as the comparison judged them: each column that changed
 * beyond tolerance in some rows (text and dates too), with its largest absolute difference
 * when numeric; then the numeric columns that differ only within their tolerance (not
 * differences: the CLI does not count them either), each with its difference and the
 * tolerance; then how many numeric columns do not differ at all.
 */
function ColumnDifferences({ maxAbsDiff, changedColumns, money, tolerances }: { maxAbsDiff: unknown; changedColumns: unknown; money: ReadonlySet<string>; tolerances: ComparisonTolerances | null }) {
  const largest = numbers(maxAbsDiff);
  const changed = new Map([...numbers(changedColumns)].filter(([, n]) => n > 0));
  const listed = [...changed.keys()].sort();
  const within = [...largest].filter(([c, v]) => v !== 0 && !changed.has(c)).sort(([a], [b]) => (a < b ? -1 : 1));
  const zero = [...largest].filter(([c, v]) => v === 0 && !changed.has(c)).length;
  if (listed.length === 0 && within.length === 0 && zero === 0) return <>-</>;
  const tolerance = (c: string) => (tolerances ? `within the tolerance of ${money.has(c) ? tolerances.money : tolerances.ratio}` : 'within tolerance');
  return (
    <ul className="diff-columns">
      {listed.map((c) => {
        const v = largest.get(c) ?? 0;
        return (
          <li key={c}>
            {c} {v !== 0 ? <span className="num">{fmtDiff(v, money.has(c))}</span> : null}
            {v !== 0 ? ', ' : null}
            {`changed in ${plural(changed.get(c)!, 'row')}`}
          </li>
        );
      })}
      {within.map(([c, v]) => (
        <li key={c} className="muted" data-testid="diff-within-tolerance">
          {c} <span className="num">{fmtSmall(v)}</span>: {tolerance(c)}
        </li>
      ))}
      {zero > 0 ? <li className="muted">{listed.length + within.length > 0 ? `0 in the other ${plural(zero, 'column')}` : zero === 1 ? '0' : `0 in all ${zero} columns`}</li> : null}
    </ul>
  );
}

function Differences({ value, money, tolerances }: { value: unknown; money: ReadonlySet<string>; tolerances: ComparisonTolerances | null }) {
  const list = Array.isArray(value) ? (value as Json[]) : [];
  if (list.length === 0) return <p className="muted">No stored rows to compare.</p>;
  return (
    <table className="simple" data-testid="debug-differences">
      <thead>
        <tr>
          <th>Table</th>
          <th className="num">Stored</th>
          <th className="num">Computed</th>
          <th className="num">Added</th>
          <th className="num">Removed</th>
          <th className="num">Changed</th>
          <th>Columns (max abs diff)</th>
        </tr>
      </thead>
      <tbody>
        {list.map((d, i) => {
          const n = (k: string) => (Array.isArray(d[k]) ? (d[k] as unknown[]).length : typeof d[k] === 'number' ? (d[k] as number) : '-');
          const differs = Number(n('added')) + Number(n('removed')) + Number(n('changed')) > 0;
          return (
            <tr key={i} className={differs ? 'changed' : undefined}>
              <td>{String(d['table'] ?? '?')}</td>
              <td className="num">{String(d['storedRows'] ?? d['stored_rows'] ?? '-')}</td>
              <td className="num">{String(d['computedRows'] ?? d['computed_rows'] ?? '-')}</td>
              <td className="num">{n('added')}</td>
              <td className="num">{n('removed')}</td>
              <td className="num">{n('changed')}</td>
              <td>
                <ColumnDifferences maxAbsDiff={d['maxAbsDiff'] ?? d['max_abs_diff']} changedColumns={d['changedColumns'] ?? d['changed_columns']} money={money} tolerances={tolerances} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A date phase's name; analytics runs its symbol stage at date level. */
const datePhaseLabel = (phase: string): string => (phase === 'analytics' ? 'analytics symbol stage' : phaseLabel(phase));

/** The money columns the host listed in a document (`money_columns`), printed to the cent. */
const moneyColumns = (d: Json): Set<string> => new Set(Array.isArray(d['money_columns']) ? (d['money_columns'] as string[]) : []);

/** A phase's outcome from its trace document (`inputs.outcome`); null when the document has none. */
const outcomeOf = (d: Json): TracePhaseOutcome | null => tracePhaseOutcomeSchema.safeParse(obj(d['inputs'])['outcome']).data ?? null;

/** A phase outcome's status as its status line names it. */
const OUTCOME_WORDS: Record<TracePhaseOutcome['status'], string> = { success: 'Succeeded', failed: 'Failed', skipped: 'Skipped', not_applicable: 'Not applicable' };

/** What a phase that did not succeed did, for the note under its status line. */
const NOT_COMPUTED_WORDS: Record<Exclude<TracePhaseOutcome['status'], 'success'>, string> = { failed: 'failed', skipped: 'was skipped', not_applicable: 'did not apply' };

/**
 * A phase's outcome at the top of its card: a compact line when it succeeded; otherwise its
 * status, reason and error, marked as a problem, and that the phase computed none of its rows:
 * the rows the trace read after it are not its output (a portfolio phase's card then compares
 * nothing; the date-level card's differences are the date's, of every date phase).
 */
function PhaseOutcomeLine({ outcome, phase }: { outcome: TracePhaseOutcome; phase?: string | undefined }) {
  const who = phase ? `${datePhaseLabel(phase)}: ` : '';
  if (outcome.status === 'success') {
    return (
      <p className="phase-outcome muted" data-testid="debug-phase-outcome">
        {who}
        {OUTCOME_WORDS.success}
      </p>
    );
  }
  const did = NOT_COMPUTED_WORDS[outcome.status];
  return (
    <div className={`phase-outcome ${outcome.status === 'failed' ? 'bad' : 'warn'}`} data-testid="debug-phase-outcome">
      <p>
        <strong>
          {who}
          {OUTCOME_WORDS[outcome.status]}
        </strong>
        {outcome.reason ? (
          <>
            : <ReasonText code={outcome.reason} />
          </>
        ) : null}
        {outcome.error ? `: ${outcome.error}` : null}
      </p>
      <p>
        {phase
          ? `The phase ${did}, so its rows were not computed: the rows computed below are not its output.`
          : `The phase ${did}, so its rows were not computed: the rows read after it (below) are not its output, and nothing is compared with the stored rows.`}
      </p>
    </div>
  );
}

/**
 * One portfolio phase's trace document: its outcome, its differences, the inputs it read, the
 * rows computed and stored. A phase that did not succeed has no differences to show: the rows
 * read after it are not its output.
 */
function PhaseCard({ doc, tolerances }: { doc: TraceDocument; tolerances: ComparisonTolerances | null }) {
  const d = obj(doc.document);
  const outcome = outcomeOf(d);
  const computed = !outcome || outcome.status === 'success';
  return (
    <article className="panel phase-card" data-testid={`debug-phase-${doc.phase}`}>
      <h3>
        {phaseLabel(doc.phase)} <span className="muted">{doc.file}</span>
      </h3>
      {outcome ? <PhaseOutcomeLine outcome={outcome} /> : null}
      {computed ? <Differences value={d['differences']} money={moneyColumns(d)} tolerances={tolerances} /> : null}
      {d['inputs'] !== undefined ? <JsonBlock value={d['inputs']} label="Inputs read" /> : null}
      {d['outputs'] !== undefined ? <JsonBlock value={d['outputs']} label={computed ? 'Rows computed' : 'Rows after the phase (not its output)'} /> : null}
      {d['stored'] !== undefined ? <JsonBlock value={d['stored']} label="Stored rows" /> : null}
    </article>
  );
}

/**
 * The date-level card: the rows the date phases (market data, fundamentals, the analytics
 * symbol stage) wrote compared with the stored ones (the date's summary document), the inputs
 * each phase read, the rows computed and stored (from the phases' documents), and the coverage
 * and fallback figures; first, each date phase's outcome.
 */
function DateLevelCard({ summary, phases, tolerances }: { summary: TraceDocument | undefined; phases: readonly TraceDocument[]; tolerances: ComparisonTolerances | null }) {
  const d = obj(summary?.document);
  const merged = (key: string) => Object.assign({}, ...phases.map((p) => obj(obj(p.document)[key]))) as Json;
  const outcomes = phases.flatMap((p) => {
    const outcome = outcomeOf(obj(p.document));
    return outcome ? [{ phase: p.phase, outcome }] : [];
  });
  return (
    <article className="panel phase-card" data-testid="debug-phase-date">
      <h3>
        Rows of the date-level phases {summary ? <span className="muted">{summary.file}</span> : null}
      </h3>
      {outcomes.map((o) => (
        <PhaseOutcomeLine key={o.phase} outcome={o.outcome} phase={o.phase} />
      ))}
      <Differences value={d['differences']} money={moneyColumns(d)} tolerances={tolerances} />
      {phases.map((p) => (
        <JsonBlock key={p.file} value={obj(p.document)['inputs']} label={`Inputs read: ${datePhaseLabel(p.phase)}`} />
      ))}
      {phases.length > 0 ? <JsonBlock value={merged('outputs')} label="Rows computed" /> : null}
      {phases.length > 0 ? <JsonBlock value={merged('stored')} label="Stored rows" /> : null}
      {d['computed'] !== undefined ? <JsonBlock value={d['computed']} label="Coverage and fallbacks" /> : null}
    </article>
  );
}

/** Pipeline position of a trace document's phase (PHASE_NAMES); summaries after the phases. */
const phaseOrder = (phase: string): number => {
  const i = (PHASE_NAMES as readonly string[]).indexOf(phase);
  return i < 0 ? PHASE_NAMES.length : i;
};

/**
 * The documents to show, by scope: the date-level ones first (the date's summary: the rows of
 * the date phases and their differences; and each date phase's document), then each
 * portfolio in the order of `portfolioOrder` (the portfolio list; others after it), its phases
 * in pipeline order. A portfolio's summary repeats its phases' differences and is left out.
 */
function documentsByScope(documents: readonly TraceDocument[], portfolioOrder: readonly string[]): Map<string, TraceDocument[]> {
  const m = new Map<string, TraceDocument[]>();
  const rank = (id: string | null) => (id === null ? -1 : portfolioOrder.includes(id) ? portfolioOrder.indexOf(id) : portfolioOrder.length);
  const shown = documents.filter((d) => d.date !== null && (d.portfolioId === null || d.phase !== 'summary'));
  for (const d of [...shown].sort((a, b) => rank(a.portfolioId) - rank(b.portfolioId) || (a.portfolioId ?? '').localeCompare(b.portfolioId ?? '') || phaseOrder(a.phase) - phaseOrder(b.phase))) {
    const k = d.portfolioId ?? 'date';
    m.set(k, [...(m.get(k) ?? []), d]);
  }
  return m;
}

export function DebugScreen({ initialDate, initialPortfolio, initialPhase }: { initialDate?: string | undefined; initialPortfolio?: string | undefined; initialPhase?: string | undefined }) {
  const client = useClient();
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  const settings = useAsync(() => client.call('getSettings', {}), [client]);
  // Opened on a date (a day of History, a cell of Live), the form is that date's, once: Back to
  // that entry shows it as the user left it; a reload (nothing kept) opens on the date again.
  const opened = initialDate !== undefined;
  const linked = useLinkOnce(opened);
  const onLink = (kept: unknown) => opened && (linked || kept === undefined);
  const [date, setDate] = useKeptState('debug.date', (kept: string | undefined) => (onLink(kept) ? initialDate : kept) ?? '');
  const [portfolio, setPortfolio] = useKeptState('debug.portfolio', (kept: string | undefined) => (onLink(kept) ? initialPortfolio : kept) ?? '');
  const [phases, setPhases] = useKeptState<PhaseName[]>('debug.phases', (kept) => (onLink(kept) ? (initialPhase && (PHASE_NAMES as readonly string[]).includes(initialPhase) ? [initialPhase as PhaseName] : []) : (kept ?? [])));
  const [model, setModel] = useKeptState<Record<OptionModelField, string>>('debug.optionModel', (kept) => kept ?? { impliedVol: '', riskFreeRate: '' });
  const [modelProblems, setModelProblems] = useState<Partial<Record<OptionModelField, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** The last answer, with the date it was asked for (the field may have changed since). */
  const [answer, setAnswer] = useState<{ date: string; result: CommandOutput<'debugDate'> } | null>(null);
  const result = answer?.result ?? null;
  const weekend = weekendProblem(date);
  const run = async () => {
    if (!date || weekend) return;
    const overrides = readOptionModel(model);
    setModelProblems(overrides.problems);
    if (Object.keys(overrides.problems).length > 0) return;
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      setAnswer({ date, result: await client.call('debugDate', { date, portfolios: portfolio ? [portfolio] : [], phases, withPrerequisites: true, ...overrides.values }) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const names = new Map((portfolios.data?.portfolios ?? []).map((p) => [p.id, p.name]));
  const byScope = useMemo(() => documentsByScope(result?.documents ?? [], (portfolios.data?.portfolios ?? []).map((p) => p.id)), [result, portfolios.data]);
  // A date the engine refuses (not a trading day, not settled yet) is the form's to fix; a
  // lock is another run's; anything else is an error that may pass on a second try.
  const refusal = error instanceof EngineError && (error.code === 'usage' || error.code === 'locked') ? error : null;
  // The date's message under the fields: the form's own (a weekend), else the engine's refusal.
  const dateError = weekend ?? (refusal?.code === 'usage' ? errorText(refusal, DEBUG_LABELS) : undefined);
  const monitor = result?.monitor ?? null;
  /** A section's status in the monitor report: the date-level entry, or the portfolio-date's. */
  const statusOf = (scope: string) => monitor?.entries.find((e) => e.portfolio_id === (scope === 'date' ? null : scope))?.status;
  return (
    <section aria-labelledby="debug-title" data-testid="screen-debug">
      <h1 id="debug-title" tabIndex={-1}>
        Debug a date
      </h1>
      <p>Runs the date in monitor-only mode with a trace on this database. Everything is rolled back: nothing is published.</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Date
          <input
            type="date"
            value={date}
            required
            onChange={(e) => {
              setDate(e.target.value);
              if (refusal?.code === 'usage') setError(null);
            }}
            aria-invalid={dateError ? true : undefined}
            aria-describedby={dateError ? 'debug-date-error' : undefined}
            data-testid="debug-date"
          />
        </label>
        <label>
          Portfolio
          <select value={portfolio} onChange={(e) => setPortfolio(e.target.value)} data-testid="debug-portfolio">
            <PortfolioOptions list={portfolios.data} allLabel="all portfolios" />
          </select>
        </label>
        <fieldset>
          <legend>Phases (none = all; prerequisites are added)</legend>
          {PHASE_NAMES.map((p) => (
            <label key={p} className="inline">
              <input type="checkbox" checked={phases.includes(p)} onChange={() => setPhases(phases.includes(p) ? phases.filter((x) => x !== p) : [...phases, p])} />
              {phaseLabel(p)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Option model (empty: the settings)</legend>
          <div className="row">
            {(Object.keys(OPTION_MODEL_LABELS) as OptionModelField[]).map((field) => (
              <div className="field" key={field}>
                <label>
                  {OPTION_MODEL_LABELS[field]}
                  <input
                    type="text"
                    inputMode="decimal"
                    placeholder={optionModelPlaceholder(field, settings.data?.settings)}
                    value={model[field]}
                    onChange={(e) => {
                      setModel({ ...model, [field]: e.target.value });
                      setModelProblems({ ...modelProblems, [field]: undefined });
                    }}
                    aria-invalid={modelProblems[field] ? true : undefined}
                    aria-describedby={modelProblems[field] ? `debug-${field}-problem` : undefined}
                    data-testid={`debug-${field}`}
                  />
                </label>
                {modelProblems[field] ? (
                  <span className="error-text field-note" id={`debug-${field}-problem`} role="alert" data-testid={`debug-${field}-problem`}>
                    {modelProblems[field]}
                  </span>
                ) : null}
              </div>
            ))}
          </div>
        </fieldset>
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={!date || weekend !== undefined || busy}
            aria-describedby={!date ? 'debug-date-needed' : weekend ? 'debug-date-error' : undefined}
            data-testid="debug-run"
          >
            {busy ? 'Running monitor-only...' : 'Debug this date'}
          </button>
          <button type="button" disabled={!result} onClick={() => downloadText(`trace_${date}.json`, JSON.stringify(result, null, 2), 'application/json')}>
            Export trace JSON
          </button>
          {/* Without a date the button is off: say why, rather than leave it greyed without a word. */}
          {date ? null : (
            <span className="hint" id="debug-date-needed" data-testid="debug-date-needed">
              Choose a date to debug.
            </span>
          )}
        </div>
        {/* Under the fields, across the form's width: a message as wide as the date field would run to many lines. */}
        {dateError ? (
          <p className="field-error" id="debug-date-error" role="alert" data-testid="debug-date-error">
            {dateError}
          </p>
        ) : null}
      </form>
      {busy ? <LoadingState label="Running the date in monitor-only mode..." /> : null}
      {refusal?.code === 'locked' ? <LockRefusal error={refusal} /> : null}
      {error && !refusal ? <ErrorState error={error} onRetry={run} labels={DEBUG_LABELS} /> : null}
      {answer && answer.result.nothingToRun !== null ? (
        <div data-testid="debug-result">
          <p role="status" className="note">
            Nothing to run on {answer.date}: {answer.result.nothingToRun}
          </p>
        </div>
      ) : result ? (
        <div data-testid="debug-result">
          <p role="status">
            Monitor-only run{result.batchRunId ? ` ${result.batchRunId}` : ''}: {result.state}
            {result.exitCode !== null ? `, ${exitCodeText(result.exitCode, monitor && !monitor.clean ? MONITOR_CHECK : undefined)}` : ''}. {monitor ? monitorVerdict(monitor) : ''}
            {result.omitted > 0 ? ` ${result.omitted} trace document(s) left out (too large).` : ''}
          </p>
          {result.error ? <ErrorState error={result.error} /> : null}
          {result.state !== 'completed' && !result.error ? <RunFailures state={result.state} failures={result.failures} documents={result.documents} names={names} /> : null}
          {byScope.size === 0 && result.state === 'completed' ? (
            <EmptyState title="No trace documents">{result.omitted > 0 ? `All ${result.omitted} trace document(s) were too large to show.` : 'The run wrote no trace for this date and these phases.'}</EmptyState>
          ) : null}
          {[...byScope.entries()].map(([scope, docs]) => {
            const title = scope === 'date' ? 'Date-level phases' : (names.get(scope) ?? scope);
            const status = statusOf(scope);
            return (
              <section key={scope} aria-label={title}>
                <h2>
                  {title}{' '}
                  {status ? (
                    <span className="muted" data-testid="debug-scope-status">
                      {STATUS_WORDS[status]}
                    </span>
                  ) : null}
                </h2>
                {scope === 'date' ? (
                  <DateLevelCard summary={docs.find((d) => d.phase === 'summary')} phases={docs.filter((d) => d.phase !== 'summary')} tolerances={monitor?.tolerances ?? null} />
                ) : (
                  docs.map((d) => <PhaseCard key={d.file} doc={d} tolerances={monitor?.tolerances ?? null} />)
                )}
              </section>
            );
          })}
        </div>
      ) : null}
    </section>
  );
}
