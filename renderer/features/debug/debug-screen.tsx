/**
 * Debug a date (SPEC.md g.12, m.21): pick a date, a portfolio and phases; the engine runs
 * monitor-only with a trace on the working database (everything rolls back) and this screen
 * shows, per phase, the inputs it read, the rows it computed, the stored rows and the
 * differences, in pipeline order, with the date-level rows first. A run that did not complete
 * (failed, cancelled, or partial: some phases failed) says so, with each failed phase's reason
 * as the CLI prints it and the portfolio named. A refused date (not a trading day, not settled
 * yet) is a message next to the date; a locked database says who holds the lock.
 */
import { useMemo, useState } from 'react';
import type { CommandOutput } from '../../../core/api/contract';
import type { TraceDocument } from '../../../core/api/commands/debug-commands';
import { PHASE_NAMES, type PhaseName } from '../../../core/domain/phase';
import { useClient } from '../../app-context';
import { EngineError, errorText } from '../../engine-client/engine-error';
import { downloadText } from '../../ui/export-file';
import { fmtMoney, phaseLabel } from '../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { PortfolioOptions } from '../../ui/portfolio-options';

/** The form's words for the debugDate input, for the engine's messages. */
const DEBUG_LABELS = { date: 'date', portfolios: 'portfolio', phases: 'phases' };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** The monitor report's verdict (g.12): differences beyond tolerance, and entries with nothing stored yet. */
function monitorVerdict(monitor: Json): string {
  if (monitor['clean'] === true) return 'Nothing differs from the stored results.';
  if (monitor['clean'] !== false) return '';
  const fresh = Number(monitor['entries_new'] ?? 0);
  return `${String(monitor['entries_different'] ?? '?')} portfolio-date(s) differ from the stored results${fresh > 0 ? `, ${fresh} new (nothing stored yet)` : ''}.`;
}

/** What a run that did not complete means for the rows shown, per run state. */
function failureSentence(state: string): string {
  if (state === 'failed') return 'The monitor-only run failed: the rows below are only what was computed before the failure.';
  if (state === 'cancelled') return 'The monitor-only run was cancelled: the rows below are only what was computed before it stopped.';
  if (state === 'partial') return 'The monitor-only run completed, but some phases failed: the rows below are those of the phases that ran.';
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

function RunFailures({ state, failures, names }: { state: string; failures: readonly string[]; names: ReadonlyMap<string, string> }) {
  return (
    <div className="note bad" role="alert" data-testid="debug-failures">
      <p>{failureSentence(state)}</p>
      {failures.length === 0 ? (
        <p>Its reasons are in the run's log (the Live screen's event log).</p>
      ) : (
        <ul>
          {failures.map((f) => (
            <li key={f}>{namedReason(f, names)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A refused debugDate that is no crash: a lock held by another run or operation (SPEC.md g.9). */
function LockRefusal({ error }: { error: EngineError }) {
  return (
    <div className="note bad" role="alert" data-testid="debug-locked">
      Not run: {error.message}
    </div>
  );
}

function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = useMemo(() => JSON.stringify(value, null, 2) ?? 'null', [value]);
  const big = text.length > 200_000;
  return (
    <details>
      <summary>
        {label} <span className="muted">({Math.round(text.length / 1024)} KB)</span>
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

/** A table's largest differences per column: the columns that differ at all, then how many do not. */
function MaxAbsDiff({ value, money }: { value: unknown; money: ReadonlySet<string> }) {
  const entries = Object.entries(obj(value)).filter((e): e is [string, number] => typeof e[1] === 'number');
  if (entries.length === 0) return <>-</>;
  const differing = entries.filter(([, v]) => v !== 0);
  const zero = entries.length - differing.length;
  return (
    <ul className="diff-columns">
      {differing.map(([c, v]) => (
        <li key={c}>
          {c} <span className="num">{fmtDiff(v, money.has(c))}</span>
        </li>
      ))}
      {zero > 0 ? <li className="muted">{differing.length > 0 ? `0 in the other ${zero} column${zero === 1 ? '' : 's'}` : zero === 1 ? '0' : `0 in all ${zero} columns`}</li> : null}
    </ul>
  );
}

function Differences({ value, money }: { value: unknown; money: ReadonlySet<string> }) {
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
          <th>Max abs diff</th>
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
                <MaxAbsDiff value={d['maxAbsDiff'] ?? d['max_abs_diff']} money={money} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * One trace document: a portfolio phase's inputs, computed and stored rows and differences, or
 * the date-level summary (the rows the date-level phases wrote, compared with the stored ones,
 * and the coverage and fallback figures). The host lists the money columns (`money_columns`).
 */
function PhaseCard({ doc }: { doc: TraceDocument }) {
  const d = obj(doc.document);
  const money = new Set(Array.isArray(d['money_columns']) ? (d['money_columns'] as string[]) : []);
  const dateLevel = doc.portfolioId === null;
  return (
    <article className="panel phase-card" data-testid={`debug-phase-${dateLevel ? 'date' : doc.phase}`}>
      <h3>
        {dateLevel ? 'Rows of the date-level phases' : phaseLabel(doc.phase)} <span className="muted">{doc.file}</span>
      </h3>
      <Differences value={d['differences']} money={money} />
      {d['inputs'] !== undefined ? <JsonBlock value={d['inputs']} label="Inputs read" /> : null}
      {d['outputs'] !== undefined ? <JsonBlock value={d['outputs']} label="Rows computed" /> : null}
      {d['stored'] !== undefined ? <JsonBlock value={d['stored']} label="Stored rows" /> : null}
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
 * The documents to show, by scope: the date-level one first (the engine traces the date-level
 * phases as the date's summary: their rows and differences), then each portfolio's phases in
 * pipeline order. A portfolio's summary repeats its phases' differences and is left out.
 */
function documentsByScope(documents: readonly TraceDocument[]): Map<string, TraceDocument[]> {
  const m = new Map<string, TraceDocument[]>();
  const shown = documents.filter((d) => d.date !== null && (d.portfolioId === null || d.phase !== 'summary'));
  for (const d of [...shown].sort((a, b) => Number(a.portfolioId !== null) - Number(b.portfolioId !== null) || phaseOrder(a.phase) - phaseOrder(b.phase))) {
    const k = d.portfolioId ?? 'date';
    m.set(k, [...(m.get(k) ?? []), d]);
  }
  return m;
}

export function DebugScreen({ initialDate, initialPortfolio, initialPhase }: { initialDate?: string | undefined; initialPortfolio?: string | undefined; initialPhase?: string | undefined }) {
  const client = useClient();
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  const [date, setDate] = useState(initialDate ?? '');
  const [portfolio, setPortfolio] = useState(initialPortfolio ?? '');
  const [phases, setPhases] = useState<PhaseName[]>(initialPhase && (PHASE_NAMES as readonly string[]).includes(initialPhase) ? [initialPhase as PhaseName] : []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<CommandOutput<'debugDate'> | null>(null);
  const run = async () => {
    if (!date) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await client.call('debugDate', { date, portfolios: portfolio ? [portfolio] : [], phases, withPrerequisites: true }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const names = new Map((portfolios.data?.portfolios ?? []).map((p) => [p.id, p.name]));
  const byScope = useMemo(() => documentsByScope(result?.documents ?? []), [result]);
  // A date the engine refuses (not a trading day, not settled yet) is the form's to fix; a
  // lock is another run's; anything else is an error that may pass on a second try.
  const refusal = error instanceof EngineError && (error.code === 'usage' || error.code === 'locked') ? error : null;
  const monitor = obj(result?.monitor);
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
        <div className="field">
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
              aria-invalid={refusal?.code === 'usage' ? true : undefined}
              aria-describedby={refusal?.code === 'usage' ? 'debug-date-error' : undefined}
              data-testid="debug-date"
            />
          </label>
          {refusal?.code === 'usage' ? (
            <span className="field-error" id="debug-date-error" role="alert" data-testid="debug-date-error">
              {errorText(refusal, DEBUG_LABELS)}
            </span>
          ) : null}
        </div>
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
        <div className="actions">
          <button type="submit" className="primary" disabled={!date || busy} data-testid="debug-run">
            {busy ? 'Running monitor-only...' : 'Debug this date'}
          </button>
          <button type="button" disabled={!result} onClick={() => downloadText(`trace_${date}.json`, JSON.stringify(result, null, 2), 'application/json')}>
            Export trace JSON
          </button>
        </div>
      </form>
      {busy ? <LoadingState label="Running the date in monitor-only mode..." /> : null}
      {refusal?.code === 'locked' ? <LockRefusal error={refusal} /> : null}
      {error && !refusal ? <ErrorState error={error} onRetry={run} labels={DEBUG_LABELS} /> : null}
      {result ? (
        <div data-testid="debug-result">
          <p role="status">
            Monitor-only run {result.batchRunId ?? ''}: {result.state}, exit code {result.exitCode ?? '-'}. {monitorVerdict(monitor)}
            {result.omitted > 0 ? ` ${result.omitted} trace document(s) left out (too large).` : ''}
          </p>
          {result.error ? <ErrorState error={result.error} /> : null}
          {result.state !== 'completed' && !result.error ? <RunFailures state={result.state} failures={result.failures} names={names} /> : null}
          {byScope.size === 0 && result.state === 'completed' ? (
            <EmptyState title="No trace documents">{result.omitted > 0 ? `All ${result.omitted} trace document(s) were too large to show.` : 'The run wrote no trace for this date and these phases.'}</EmptyState>
          ) : null}
          {[...byScope.entries()].map(([scope, docs]) => (
            <section key={scope} aria-label={scope === 'date' ? 'Date-level phases' : (names.get(scope) ?? scope)}>
              <h2>{scope === 'date' ? 'Date-level phases' : (names.get(scope) ?? scope)}</h2>
              {docs.map((d) => (
                <PhaseCard key={d.file} doc={d} />
              ))}
            </section>
          ))}
        </div>
      ) : null}
    </section>
  );
}
