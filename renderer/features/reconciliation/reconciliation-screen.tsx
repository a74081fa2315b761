/**
 * Reconciliation (SPEC.md i.1): per portfolio and date, the six checks with their flags and
 * the explanation of each break; a row opens the positions and marks of that portfolio-date
 * with their provenance (source, price date, previous price and basis).
 */
import { Fragment, useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { reconcileThresholdSchema } from '../../../core/api/commands/diagnostics-commands';
import type { MarkRow } from '../../../core/api/commands/view-commands';
import { useClient, useKeptState } from '../../app-context';
import { EngineError, errorText } from '../../engine-client/engine-error';
import { useLinkOnce, useNavigation } from '../../navigation';
import { DataTable, type Column } from '../../ui/data-table';
import { downloadText } from '../../ui/export-file';
import { fmtDecimal, fmtInt, fmtMoney, fmtNum } from '../../ui/format';
import { fieldNumber } from '../../ui/number-field';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { PortfolioOptions } from '../../ui/portfolio-options';
import { BreakableSymbol } from '../../ui/breakable-symbol';

const checkSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    difference: z.number().nullable(),
    status: z.string(),
    note: z.string().optional(),
    secondary: z.object({ name: z.string(), difference: z.number(), status: z.string() }).optional(),
  })
  .loose();

export const reconcileResultSchema = z
  .object({
    portfolioId: z.string(),
    portfolioName: z.string(),
    date: z.string(),
    flagged: z.boolean(),
    checks: z.array(checkSchema),
    sMarked: z.number().nullable().optional(),
    sAll: z.number().nullable().optional(),
    markedLots: z.number().optional(),
    unmarkedLots: z.number().optional(),
    info: z.array(z.object({ kind: z.string(), text: z.string(), values: z.record(z.string(), z.number().nullable()).default({}) }).loose()).default([]),
    explanations: z.array(z.string()).default([]),
  })
  .loose();
export type ReconcileResultView = z.infer<typeof reconcileResultSchema>;

const reconcileOutputSchema = z
  .object({
    threshold: z.number(),
    flagged: z.number(),
    total: z.number(),
    results: z.array(reconcileResultSchema),
    /** Tracked portfolio-dates whose snapshot is gone: nothing there is reconciled, so each is said apart. */
    missingSnapshots: z.array(z.object({ portfolioId: z.string(), portfolioName: z.string(), date: z.string() })).default([]),
  })
  .loose();

/**
 * The tracked portfolio-dates of the scope without a snapshot (deleted by hand, or lost): each a
 * break the table cannot show, with the way to redo its date on the Run screen.
 */
function MissingSnapshots({ missing }: { missing: z.infer<typeof reconcileOutputSchema>['missingSnapshots'] }) {
  const { navigate } = useNavigation();
  if (missing.length === 0) return null;
  return (
    <div className="note bad" role="alert" data-testid="recon-missing-snapshots">
      <p>
        Tracked portfolio-dates without a snapshot: {fmtInt(missing.length)}. Nothing there can be reconciled, and the next date rolls forward from an older snapshot. Run the date again,
        then run with &quot;retry failed phases&quot; for the later dates it makes stale.
      </p>
      <ul>
        {missing.slice(0, 20).map((m) => (
          <li key={`${m.portfolioId}:${m.date}`}>
            {m.date} {m.portfolioName}{' '}
            <button type="button" onClick={() => navigate('run', { startDate: m.date, endDate: m.date })}>
              Run {m.date} again...
            </button>
          </li>
        ))}
      </ul>
      {missing.length > 20 ? <p>... and {fmtInt(missing.length - 20)} more.</p> : null}
    </div>
  );
}

/** The filter form's fields, as the user left them. */
interface ReconcileForm {
  readonly mode: 'date' | 'range';
  readonly date: string;
  readonly range: { readonly start: string; readonly end: string };
  readonly threshold: string;
  readonly portfolio: string;
}

/** What the form says of a threshold it cannot send: the contract's range (reconcileThresholdSchema), in words. */
const THRESHOLD_WORDS = 'The threshold is an amount in dollars above 0 (1.00), or empty for the setting.';

/** What is wrong with the form's fields, each said under the fields, the field marked. */
type FormProblems = { readonly date?: string; readonly threshold?: string };

/**
 * The reconcile input of the form, or what is wrong with it: a single date left empty (the date
 * is required, as on the Run and Debug screens: an empty one is not quietly the latest), and a
 * threshold the contract refuses or text that is no number, never read as "not given" (which
 * would reconcile with the default threshold).
 */
function queryOf(f: ReconcileForm): { ok: true; query: Record<string, unknown> } | { ok: false; problems: FormProblems } {
  const threshold = fieldNumber(f.threshold, reconcileThresholdSchema, THRESHOLD_WORDS);
  const problems: FormProblems = { ...(f.mode === 'date' && !f.date ? { date: 'Choose a date to reconcile.' } : {}), ...('problem' in threshold ? { threshold: threshold.problem } : {}) };
  if ('problem' in threshold || problems.date) return { ok: false, problems };
  const t = threshold.value !== undefined ? { threshold: threshold.value } : {};
  const dates = f.mode === 'range' ? { ...(f.range.start ? { startDate: f.range.start } : {}), ...(f.range.end ? { endDate: f.range.end } : {}) } : { date: f.date };
  return { ok: true, query: { ...dates, portfolios: f.portfolio ? [f.portfolio] : [], ...t } };
}

/** The filter form's words for the reconcile input, for the engine's messages. */
const RECONCILE_LABELS = { date: 'date', startDate: 'the From date', endDate: 'the To date', portfolios: 'portfolio', threshold: 'threshold' };

type InfoLine = ReconcileResultView['info'][number];

/**
 * An informational line (SPEC.md i.1) in words; LEVERAGE from its values, in the screen's
 * number formats. Gross exposure / equity is a leverage ratio only while equity is positive:
 * with equity at or below zero (the demo hedge fund's goes negative) the quotient means
 * nothing, so it is not shown.
 */
function infoText(line: InfoLine): string {
  const { borrowed, equity, gross_to_equity: ratio } = line.values;
  if (line.kind !== 'LEVERAGE' || equity === undefined || equity === null) return line.text;
  const leverage = equity > 0 ? `= ${fmtNum(ratio, 4)}` : `n/a: equity ≤ 0 (${fmtMoney(equity)})`;
  return `borrowed ${fmtMoney(borrowed)}; gross exposure / equity ${leverage}`;
}

/**
 * The next step after a STALE line: the date's snapshot was computed before upstream work
 * changed, so its checks read old figures until it is recomputed. The Run screen opens on the
 * date with "retry failed phases only", which redoes stale cells (g.2, g.3), and shows the plan
 * before anything starts.
 */
function StaleNextStep({ date }: { date: string }) {
  const { navigate } = useNavigation();
  return (
    <>
      ; retry the date to recompute it, then reconcile again.{' '}
      <button type="button" onClick={() => navigate('run', { startDate: date, endDate: date, retry: '1' })} data-testid="recon-stale-retry">
        Retry this date...
      </button>
    </>
  );
}

const statusClass = (s: string) => (s === 'flag' ? 'st-failed' : s === 'ok' ? 'st-ok' : 'st-skipped');

/*
 * The columns' widths: the portfolio name, which tells the rows apart, wraps onto a second line
 * rather than be cut ("Demo Family Office Private Opportunities" and "... Public Growth" in a
 * 1024 px window); the fixed columns are as wide as their content, so the table fits there
 * without a sideways scroll.
 */
const RESULT_COLUMNS: Column<ReconcileResultView>[] = [
  { key: 'flag', header: 'Result', width: '4.5rem', render: (r) => <span className={`pill ${r.flagged ? 'st-failed' : 'st-ok'}`}>{r.flagged ? 'FLAG' : 'OK'}</span> },
  { key: 'date', header: 'Date', width: '6rem', render: (r) => r.date },
  { key: 'portfolio', header: 'Portfolio', width: 'minmax(9rem, 1fr)', render: (r) => r.portfolioName, title: (r) => r.portfolioName, wrap: true },
  {
    key: 'checks',
    header: 'Checks 1-6',
    width: '9rem',
    render: (r) => (
      <span className="check-dots">
        {r.checks.map((c) => (
          <span key={c.id} className={`dot ${statusClass(c.status)}`} title={`${c.id}. ${c.name}: ${c.status}`}>
            {c.id}
          </span>
        ))}
      </span>
    ),
  },
  { key: 'marked', header: 'Marked value', width: '7.5rem', align: 'right', render: (r) => fmtMoney(r.sMarked ?? null) },
  { key: 'markedLots', header: 'Marked lots', width: '4.5rem', align: 'right', render: (r) => fmtInt(r.markedLots ?? 0) },
  { key: 'unmarked', header: 'Unmarked lots', width: '6rem', align: 'right', render: (r) => fmtInt(r.unmarkedLots ?? 0) },
];

/** A mark's previous price, its date and basis: the parts its Previous cell wraps between, never inside. */
const previousParts = (m: MarkRow): string[] => (m.prevPrice !== null ? [fmtMoney(m.prevPrice), `on ${m.prevPriceDate ?? '?'}`, `(${m.prevBasis ?? '-'})`] : [m.prevBasis ?? '-']);

/** A mark's previous price, its date and basis, as its Previous cell says them. */
const previousOf = (m: MarkRow): string => previousParts(m).join(' ');

/** The Previous cell: a narrow column wraps it as "253,059.80" / "on 2025-09-15" / "(mark)". */
function Previous({ mark }: { mark: MarkRow }) {
  return previousParts(mark).map((part, i) => (
    <Fragment key={i}>
      {i > 0 ? ' ' : null}
      <span className="unbroken">{part}</span>
    </Fragment>
  ));
}

/*
 * The symbol, which tells the rows apart, and the previous price wrap rather than be cut (a
 * 1280 px window cut "HOME_EQUITY" and "253,059.80 on 2025-09-15 (mark)"); the fixed columns
 * are as wide as their content, so the table fits a 1024 px window without a sideways scroll.
 * The two growing columns share the room in the ratio of their least widths (7.5 : 4.5), so
 * neither asks for more than that least width when the room is short.
 */
const MARK_COLUMNS: Column<MarkRow>[] = [
  { key: 'symbol', header: 'Symbol', width: 'minmax(4.5rem, 1fr)', render: (m) => <BreakableSymbol symbol={m.symbol} />, title: (m) => m.symbol, wrap: true },
  { key: 'type', header: 'Type', width: '3.5rem', render: (m) => m.positionType },
  { key: 'qty', header: 'Quantity', width: '5rem', align: 'right', render: (m) => fmtDecimal(m.quantity, 2) },
  { key: 'price', header: 'Price', width: '6rem', align: 'right', render: (m) => fmtMoney(m.price) },
  { key: 'source', header: 'Source', width: '4.5rem', render: (m) => <span className={`pill src-${m.priceSource}`}>{m.priceSource}</span> },
  { key: 'pdate', header: 'Price date', width: '6rem', render: (m) => m.priceDate ?? '-' },
  { key: 'mv', header: 'Market value', width: '7rem', align: 'right', render: (m) => fmtMoney(m.marketValue) },
  { key: 'pnl', header: 'Daily P&L', width: '5.75rem', align: 'right', render: (m) => fmtMoney(m.dailyPnl) },
  { key: 'prev', header: 'Previous', width: 'minmax(7.5rem, 1.67fr)', render: (m) => <Previous mark={m} />, title: previousOf, wrap: true },
  { key: 'active', header: 'Active', width: '3.75rem', render: (m) => (m.isActive ? 'yes' : 'no') },
];

function ResultDetail({ result }: { result: ReconcileResultView }) {
  const client = useClient();
  const marks = useAsync(() => client.call('getMarks', { portfolioId: result.portfolioId, date: result.date }), [client, result.portfolioId, result.date]);
  return (
    <section className="recon-detail" aria-labelledby="recon-detail-title" data-testid="recon-detail">
      <h2 id="recon-detail-title">
        {result.portfolioName} on {result.date}
      </h2>
      <table className="simple">
        <thead>
          <tr>
            <th>#</th>
            <th>Check</th>
            <th className="num">Difference</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {result.checks.map((c) => (
            <tr key={c.id} data-testid={`recon-check-${c.id}`}>
              <td>{c.id}</td>
              <td>
                {c.name}
                {c.note ? <div className="muted">{c.note}</div> : null}
                {c.secondary ? (
                  <div className="muted">
                    {c.secondary.name}: {fmtMoney(c.secondary.difference)} [{c.secondary.status.toUpperCase()}]
                  </div>
                ) : null}
              </td>
              <td className="num">{fmtMoney(c.difference)}</td>
              <td>
                <span className={`pill ${statusClass(c.status)}`}>{c.status === 'flag' ? 'FLAG' : c.status === 'ok' ? 'OK' : 'n/a'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.explanations.length > 0 ? (
        <>
          <h3>Why it breaks</h3>
          <ul data-testid="recon-explanations">
            {result.explanations.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.info.length > 0 ? (
        <>
          <h3>For information (never a break by itself)</h3>
          <ul className="info-lines" data-testid="recon-info">
            {result.info.map((i, k) => (
              <li key={k}>
                <strong>{i.kind}</strong> {infoText(i)}
                {i.kind === 'STALE' ? <StaleNextStep date={result.date} /> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Positions and marks</h3>
      {marks.error ? <ErrorState error={marks.error} onRetry={marks.reload} /> : null}
      {marks.loading && !marks.data ? <LoadingState /> : null}
      {marks.data ? (
        marks.data.marks.length === 0 ? (
          <EmptyState title="No marks for this portfolio-date">Imported history has no marks, or the date is not complete.</EmptyState>
        ) : (
          <DataTable label="Marks with provenance" rows={marks.data.marks} columns={MARK_COLUMNS} rowKey={(m) => m.positionId} height={320} testId="recon-marks" />
        )
      ) : null}
    </section>
  );
}

export function ReconciliationScreen({ initialDate, initialPortfolio }: { initialDate?: string | undefined; initialPortfolio?: string | undefined }) {
  const client = useClient();
  const info = useAsync(() => client.call('getDatabaseInfo', {}), [client]);
  // One date or a range, never both: only the fields of the chosen kind are shown and queried.
  const [mode, setMode] = useState<'date' | 'range'>('date');
  // Opened on a date (a day of History), the form is that date's, once: Back to that entry shows
  // it as the user left it; a reload (nothing kept) opens on the date again. A date not picked
  // (null) is the latest complete one, read anew each time the screen shows; a date cleared is
  // empty, and Reconcile says one is needed rather than refill it with the latest.
  const opened = initialDate !== undefined;
  const linked = useLinkOnce(opened);
  const onLink = (kept: unknown) => opened && (linked || kept === undefined);
  const [picked, setDate] = useKeptState<string | null>('reconciliation.date', (kept) => (onLink(kept) ? initialDate : kept) ?? null);
  const date = picked ?? info.data?.latestCompleteDate ?? '';
  const [range, setRange] = useState<{ start: string; end: string }>({ start: '', end: '' });
  const [threshold, setThreshold] = useState('');
  const [portfolio, setPortfolio] = useKeptState('reconciliation.portfolio', (kept: string | undefined) => (onLink(kept) ? initialPortfolio : kept) ?? '');
  const [applied, setApplied] = useState<Record<string, unknown> | null>(null);
  // Reconcile was asked for: a field it cannot send (no date, a threshold it refuses) is said under the fields while it holds that.
  const [checked, setChecked] = useState(false);
  const [selected, setSelected] = useState<ReconcileResultView | null>(null);
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  // The first query, of the date: the updater sees the current state, so a filter applied
  // before this effect runs is never replaced by it.
  useEffect(() => {
    if (applied === null && date) setApplied((a) => a ?? { date, portfolios: portfolio ? [portfolio] : [] });
  }, [applied, date, portfolio]);
  const built = queryOf({ mode, date, range, threshold, portfolio });
  const problems: FormProblems = checked && !built.ok ? built.problems : {};
  const data = useAsync(
    () => (applied ? client.callNamed('reconcile', applied, reconcileOutputSchema) : Promise.resolve(null)),
    [client, applied],
  );
  const rows = useMemo(() => (data.data?.results ?? []).filter((r) => !onlyFlagged || r.flagged), [data.data, onlyFlagged]);
  // An input the engine refuses (a reversed range, a zero threshold) is the form's to fix, said
  // under its fields while they hold what was refused: a field changed since, the message goes.
  const refused = data.error instanceof EngineError && data.error.code === 'usage' ? data.error : null;
  const refusal = refused && built.ok && JSON.stringify(built.query) === JSON.stringify(applied) ? refused : null;
  const formError = [problems.date, problems.threshold].filter(Boolean).join(' ') || (refusal ? errorText(refusal, RECONCILE_LABELS) : null);
  const describedBy = formError ? 'recon-form-error' : undefined;
  const apply = () => {
    setChecked(true);
    if (!built.ok) return;
    setSelected(null);
    setApplied(built.query);
  };
  return (
    <section aria-labelledby="recon-title" data-testid="screen-reconciliation">
      <h1 id="recon-title" tabIndex={-1}>
        Reconciliation
      </h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label>
          Dates
          <select value={mode} onChange={(e) => setMode(e.target.value as 'date' | 'range')} data-testid="recon-mode">
            <option value="date">single date</option>
            <option value="range">range</option>
          </select>
        </label>
        {mode === 'date' ? (
          <label>
            Date
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-invalid={problems.date ? true : undefined} aria-describedby={describedBy} data-testid="recon-date" />
          </label>
        ) : (
          <>
            <label>
              From
              <input type="date" value={range.start} onChange={(e) => setRange({ ...range, start: e.target.value })} aria-describedby={describedBy} data-testid="recon-from" />
            </label>
            <label>
              To
              <input type="date" value={range.end} onChange={(e) => setRange({ ...range, end: e.target.value })} aria-describedby={describedBy} data-testid="recon-to" />
            </label>
          </>
        )}
        <label>
          Portfolio
          <select value={portfolio} onChange={(e) => setPortfolio(e.target.value)}>
            <PortfolioOptions list={portfolios.data} allLabel="all" />
          </select>
        </label>
        <label>
          Threshold ($)
          <input
            type="text"
            inputMode="decimal"
            value={threshold}
            placeholder={data.data ? String(data.data.threshold) : '1.00'}
            onChange={(e) => setThreshold(e.target.value)}
            aria-invalid={problems.threshold ? true : undefined}
            aria-describedby={describedBy}
            data-testid="recon-threshold"
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={onlyFlagged} onChange={(e) => setOnlyFlagged(e.target.checked)} />
          flagged only
        </label>
        <div className="actions">
          <button type="submit" className="primary" data-testid="recon-apply">
            Reconcile
          </button>
          <button type="button" disabled={!data.data} onClick={() => downloadText('reconciliation.json', JSON.stringify(data.data, null, 2), 'application/json')}>
            Export JSON
          </button>
        </div>
        {/* Under the fields, across the form's width, as on the Debug screen. */}
        {formError ? (
          <p className="field-error" id="recon-form-error" role="alert" data-testid="recon-form-error">
            {formError}
          </p>
        ) : null}
      </form>
      {data.error && !refused ? <ErrorState error={data.error} onRetry={data.reload} labels={RECONCILE_LABELS} /> : null}
      {data.loading && !data.data ? <LoadingState /> : null}
      {data.data ? (
        <p className="muted" role="status" data-testid="recon-summary">
          Flagged portfolio-dates: {data.data.flagged} / {data.data.total} (threshold {fmtMoney(data.data.threshold)})
        </p>
      ) : null}
      {data.data ? <MissingSnapshots missing={data.data.missingSnapshots} /> : null}
      {data.data && rows.length === 0 ? <EmptyState title="Nothing to reconcile">No complete portfolio-date in this scope{onlyFlagged ? ' is flagged' : ''}.</EmptyState> : null}
      {rows.length > 0 ? (
        <DataTable
          label="Reconciliation results"
          rows={rows}
          columns={RESULT_COLUMNS}
          rowKey={(r) => `${r.portfolioId}:${r.date}`}
          selectedKey={selected ? `${selected.portfolioId}:${selected.date}` : null}
          onActivate={setSelected}
          rowClass={(r) => (r.flagged ? 'flagged' : '')}
          height={360}
          testId="recon-table"
        />
      ) : null}
      {selected ? <ResultDetail result={selected} /> : null}
    </section>
  );
}
