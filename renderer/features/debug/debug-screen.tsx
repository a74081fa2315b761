/**
 * Debug a date (SPEC.md g.12, m.21): pick a date, a portfolio and phases; the engine runs
 * monitor-only with a trace on the working database (everything rolls back) and this screen
 * shows, per phase, the inputs it read, the rows it computed, the stored rows and the
 * differences. A run that fails (a phase failed, or a portfolio-date is blocked by a date
 * without a snapshot) says so, with each failed phase's reason as the CLI prints it.
 */
import { useMemo, useState } from 'react';
import type { CommandOutput } from '../../../core/api/contract';
import type { TraceDocument } from '../../../core/api/commands/debug-commands';
import { PHASE_NAMES, type PhaseName } from '../../../core/domain/phase';
import { useClient } from '../../app-context';
import { downloadText } from '../../ui/export-file';
import { phaseLabel } from '../../ui/format';
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

function RunFailures({ state, failures }: { state: string; failures: readonly string[] }) {
  return (
    <div className="note bad" role="alert" data-testid="debug-failures">
      <p>The monitor-only run {state}: the rows below are only what was computed before the failure.</p>
      {failures.length === 0 ? (
        <p>Its reasons are in the run's log (the Live screen's event log).</p>
      ) : (
        <ul>
          {failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
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

function Differences({ value }: { value: unknown }) {
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
          <th className="num">Max abs diff</th>
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
              <td className="num">{d['maxAbsDiff'] !== undefined || d['max_abs_diff'] !== undefined ? JSON.stringify(d['maxAbsDiff'] ?? d['max_abs_diff']) : '-'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PhaseCard({ doc }: { doc: TraceDocument }) {
  const d = obj(doc.document);
  return (
    <article className="panel phase-card" data-testid={`debug-phase-${doc.phase}`}>
      <h3>
        {phaseLabel(doc.phase)} <span className="muted">{doc.file}</span>
      </h3>
      <Differences value={d['differences']} />
      <JsonBlock value={d['inputs']} label="Inputs read" />
      <JsonBlock value={d['outputs']} label="Rows computed" />
      <JsonBlock value={d['stored']} label="Stored rows" />
    </article>
  );
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
  const byScope = useMemo(() => {
    const m = new Map<string, TraceDocument[]>();
    for (const d of result?.documents ?? []) {
      if (d.phase === 'summary' || d.date === null) continue;
      const k = d.portfolioId ?? 'date';
      m.set(k, [...(m.get(k) ?? []), d]);
    }
    return m;
  }, [result]);
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
        <label>
          Date
          <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} data-testid="debug-date" />
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
      {error ? <ErrorState error={error} onRetry={run} labels={DEBUG_LABELS} /> : null}
      {result ? (
        <div data-testid="debug-result">
          <p role="status">
            Monitor-only run {result.batchRunId ?? ''}: {result.state}, exit code {result.exitCode ?? '-'}. {monitorVerdict(monitor)}
            {result.omitted > 0 ? ` ${result.omitted} trace document(s) left out (too large).` : ''}
          </p>
          {result.error ? <ErrorState error={result.error} /> : null}
          {result.state !== 'completed' && !result.error ? <RunFailures state={result.state} failures={result.failures} /> : null}
          {byScope.size === 0 && result.state === 'completed' ? <EmptyState title="No trace documents">The date was not processed (not a trading day, or nothing to do for these phases).</EmptyState> : null}
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
