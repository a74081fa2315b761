/**
 * Missing prices: every (date, symbol) without an exact close, with its reason, the fallback
 * used and its age, and the portfolios touched; filters run in the engine (bound SQL), and
 * the list exports as CSV or JSON. The table is virtualized for long backfills. Below it, the
 * import of closes from CSV with the retry of the dates it makes stale (e.8, add-prices-panel.tsx),
 * then the suspect prices (SPEC.md e.4): stored closes flagged as one-day jumps, kept but listed for review.
 * A reversed range is caught by the form before any query (the engine refuses it too), so it
 * never reads as an all-clear.
 */
import { useMemo, useState } from 'react';
import { MISSING_REASONS, type MissingPriceRow, type SuspectPriceRow } from '../../../core/api/commands/view-commands';
import { useClient } from '../../app-context';
import { useNavigation } from '../../navigation';
import { DataTable, type Column } from '../../ui/data-table';
import { downloadText, toCsv, type CsvColumn } from '../../ui/export-file';
import { fmtInt } from '../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { PortfolioOptions } from '../../ui/portfolio-options';
import { BreakableSymbol } from '../../ui/breakable-symbol';
import { AddPricesPanel } from './add-prices-panel';
import { reasonLabel, reasonTitle, type MissingReason as Reason } from './missing-reasons';

interface Filters {
  startDate: string;
  endDate: string;
  reasons: Reason[];
  resolution: '' | 'fallback' | 'missing';
  symbols: string;
  portfolioId: string;
}

/** The filter form's words for the getMissingPrices input, for the engine's messages. */
const MISSING_LABELS = { startDate: 'the From date', endDate: 'the To date', symbols: 'symbols', portfolioId: 'portfolio', reasons: 'reasons', resolution: 'resolution' };

/** What is wrong with the filters, or null. */
function filtersProblem(f: Filters): string | null {
  return f.startDate && f.endDate && f.endDate < f.startDate ? `The To date ${f.endDate} is before the From date ${f.startDate}.` : null;
}

/** Whether the filters narrow the rows of the dates shown (a reason, resolution, symbol or portfolio). */
function narrowed(f: Filters): boolean {
  return f.reasons.length > 0 || f.resolution !== '' || f.symbols.trim() !== '' || f.portfolioId !== '';
}

/** A row's provider and detail, as its Detail cell says them. */
const detailOf = (r: MissingPriceRow): string => [r.provider, r.detail].filter(Boolean).join(': ') || '-';

/** The fallback's age in trading days, the unit of the five-trading-day fallback window (e.6). */
const ageText = (r: MissingPriceRow): string => (r.fallbackAgeTradingDays === null ? '-' : `${r.fallbackAgeTradingDays} trading day${r.fallbackAgeTradingDays === 1 ? '' : 's'}`);

/**
 * Each column at least as wide as its heading, on one line; together they fit a 1280 px window.
 * The symbol (an option contract's is 18 characters), the reason and the detail wrap onto more
 * lines rather than being cut short.
 */
const COLUMNS: Column<MissingPriceRow>[] = [
  { key: 'date', header: 'Date', width: '6.5rem', render: (r) => r.date },
  { key: 'symbol', header: 'Symbol', width: '6rem', render: (r) => <BreakableSymbol symbol={r.symbol} />, title: (r) => r.symbol, wrap: true },
  { key: 'reason', header: 'Reason', width: '8rem', render: (r) => reasonLabel(r.reason), title: (r) => reasonTitle(r.reason), wrap: true },
  { key: 'resolution', header: 'Resolution', width: '6.5rem', render: (r) => <span className={`pill ${r.resolution === 'missing' ? 'st-failed' : 'st-warning'}`}>{r.resolution}</span> },
  { key: 'fallback', header: 'Fallback date', width: '8rem', render: (r) => r.fallbackPriceDate ?? '-' },
  { key: 'age', header: 'Fallback age', width: '7.5rem', align: 'right', render: ageText, title: (r) => (r.fallbackAgeDays === null ? '' : `${ageText(r)} (${r.fallbackAgeDays} calendar days) before the date; the fallback window is 5 trading days`) },
  { key: 'last', header: 'Last close date', width: '9rem', render: (r) => r.lastKnownPriceDate ?? '-' },
  { key: 'portfolios', header: 'Portfolios', width: '5.5rem', align: 'right', render: (r) => r.portfoliosAffected },
  { key: 'lots', header: 'Lots', width: '3rem', align: 'right', render: (r) => r.positionsAffected },
  { key: 'detail', header: 'Detail', width: 'minmax(8.5rem, 1fr)', render: detailOf, title: detailOf, wrap: true },
];

const CSV: CsvColumn<MissingPriceRow>[] = [
  { header: 'date', value: (r) => r.date },
  { header: 'symbol', value: (r) => r.symbol },
  { header: 'reason', value: (r) => r.reason },
  { header: 'resolution', value: (r) => r.resolution },
  { header: 'fallback_price_date', value: (r) => r.fallbackPriceDate },
  { header: 'fallback_age_days', value: (r) => r.fallbackAgeDays },
  { header: 'fallback_age_trading_days', value: (r) => r.fallbackAgeTradingDays },
  { header: 'last_known_price_date', value: (r) => r.lastKnownPriceDate },
  { header: 'portfolios_affected', value: (r) => r.portfoliosAffected },
  { header: 'positions_affected', value: (r) => r.positionsAffected },
  { header: 'provider', value: (r) => r.provider },
  { header: 'detail', value: (r) => r.detail },
];

/** Each column as wide as its heading and its values (the previous close and its date apart); in a narrow window the table scrolls in its own box. */
const SUSPECT_COLUMNS: Column<SuspectPriceRow>[] = [
  { key: 'date', header: 'Date', width: '7rem', render: (r) => r.date },
  { key: 'symbol', header: 'Symbol', width: '6rem', render: (r) => <BreakableSymbol symbol={r.symbol} />, title: (r) => r.symbol, wrap: true },
  { key: 'close', header: 'Close', width: '7rem', align: 'right', render: (r) => r.close.toFixed(4) },
  { key: 'prev', header: 'Previous close', width: '8.5rem', align: 'right', render: (r) => (r.previousClose === null ? '-' : r.previousClose.toFixed(4)) },
  { key: 'prevDate', header: 'Previous date', width: '8rem', render: (r) => r.previousDate ?? '-' },
  { key: 'change', header: 'Change', width: '6rem', align: 'right', render: (r) => (r.change === null ? '-' : `${(r.change * 100).toFixed(1)} %`) },
  { key: 'source', header: 'Source', width: 'minmax(5rem, 1fr)', render: (r) => r.dataSource },
];

export function MissingPricesScreen() {
  const client = useClient();
  const { route } = useNavigation();
  const initialDate = route.params['date'] ?? '';
  const [draft, setDraft] = useState<Filters>({ startDate: initialDate, endDate: initialDate, reasons: [], resolution: '', symbols: '', portfolioId: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  const query = useMemo(
    () => ({
      ...(filters.startDate ? { startDate: filters.startDate } : {}),
      ...(filters.endDate ? { endDate: filters.endDate } : {}),
      reasons: filters.reasons,
      ...(filters.resolution ? { resolution: filters.resolution } : {}),
      symbols: filters.symbols
        .split(/[\s,]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
      ...(filters.portfolioId ? { portfolioId: filters.portfolioId } : {}),
    }),
    [filters],
  );
  const problem = filtersProblem(filters);
  const data = useAsync(() => (problem ? Promise.resolve(null) : client.call('getMissingPrices', query)), [client, query, problem]);
  const suspectQuery = useMemo(() => ({ ...(query.startDate ? { startDate: query.startDate } : {}), ...(query.endDate ? { endDate: query.endDate } : {}), symbols: query.symbols }), [query]);
  const suspect = useAsync(() => (problem ? Promise.resolve(null) : client.call('getSuspectPrices', suspectQuery)), [client, suspectQuery, problem]);
  // With a reversed range nothing is shown, not even the previous filters' results while the
  // loaders settle: an empty list there would read as an all-clear.
  const shown = problem ? null : data.data;
  // What is wrong is said of the fields as they are now: fixed in the form, the applied filters'
  // problem gives way to the step that shows the dates.
  const draftProblem = filtersProblem(draft);
  const suspectShown = problem ? null : suspect.data;
  const suspectRows = suspectShown?.rows ?? [];
  const rows = shown?.rows ?? [];
  const toggleReason = (r: Reason) => setDraft((d) => ({ ...d, reasons: d.reasons.includes(r) ? d.reasons.filter((x) => x !== r) : [...d.reasons, r] }));
  const stamp = `${filters.startDate || 'all'}_${filters.endDate || 'all'}`;
  return (
    <section aria-labelledby="missing-title" data-testid="screen-missing">
      <h1 id="missing-title" tabIndex={-1}>
        Missing prices
      </h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
        aria-label="Missing price filters"
      >
        <label>
          From
          <input type="date" value={draft.startDate} onChange={(e) => setDraft({ ...draft, startDate: e.target.value })} data-testid="missing-from" />
        </label>
        <label>
          To
          <input type="date" value={draft.endDate} onChange={(e) => setDraft({ ...draft, endDate: e.target.value })} data-testid="missing-to" />
        </label>
        <label>
          Symbols
          <input type="text" value={draft.symbols} placeholder="AAPL, ZM" onChange={(e) => setDraft({ ...draft, symbols: e.target.value })} data-testid="missing-symbols" />
        </label>
        <label>
          Resolution
          <select value={draft.resolution} onChange={(e) => setDraft({ ...draft, resolution: e.target.value as Filters['resolution'] })} data-testid="missing-resolution">
            <option value="">any</option>
            <option value="fallback">fallback used</option>
            <option value="missing">missing (no usable close)</option>
          </select>
        </label>
        <label>
          Portfolio
          <select value={draft.portfolioId} onChange={(e) => setDraft({ ...draft, portfolioId: e.target.value })}>
            <PortfolioOptions list={portfolios.data} allLabel="all" />
          </select>
        </label>
        <fieldset>
          <legend>Reasons</legend>
          {MISSING_REASONS.map((r) => (
            <label key={r} className="inline" title={reasonTitle(r)}>
              <input type="checkbox" checked={draft.reasons.includes(r)} onChange={() => toggleReason(r)} data-testid={`missing-reason-${r}`} />
              {reasonLabel(r)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" data-testid="missing-apply">
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              const empty: Filters = { startDate: '', endDate: '', reasons: [], resolution: '', symbols: '', portfolioId: '' };
              setDraft(empty);
              setFilters(empty);
            }}
          >
            Clear
          </button>
          <button type="button" disabled={rows.length === 0} onClick={() => downloadText(`missing-prices_${stamp}.csv`, toCsv(rows, CSV), 'text/csv')} data-testid="missing-export-csv">
            Export CSV
          </button>
          <button type="button" disabled={rows.length === 0} onClick={() => downloadText(`missing-prices_${stamp}.json`, JSON.stringify(rows, null, 2), 'application/json')}>
            Export JSON
          </button>
        </div>
      </form>
      {draftProblem ? (
        <p className="note bad" role="alert" data-testid="missing-problem">
          {draftProblem}
        </p>
      ) : problem ? (
        <p className="note" role="status" data-testid="missing-apply-fixed">
          The dates are fixed: apply the filters to show their missing prices.
        </p>
      ) : null}
      {data.error ? <ErrorState error={data.error} onRetry={data.reload} labels={MISSING_LABELS} /> : null}
      {data.loading && !data.data ? <LoadingState /> : null}
      {shown ? (
        <>
          <p className="muted" role="status" data-testid="missing-count">
            {fmtInt(rows.length)} row(s){shown.truncated ? ` of ${fmtInt(shown.total)} (refine the filters to see the rest)` : ''}
          </p>
          {rows.length === 0 ? (
            narrowed(filters) ? (
              <EmptyState title="No rows match the filters">Missing prices of other symbols, reasons, resolutions or portfolios are not shown.</EmptyState>
            ) : (
              <EmptyState title="No missing prices">Every needed symbol had an exact close on the dates shown.</EmptyState>
            )
          ) : (
            <DataTable label="Missing prices" rows={rows} columns={COLUMNS} rowKey={(r) => `${r.date}:${r.symbol}`} height={480} testId="missing-table" />
          )}
        </>
      ) : null}
      <AddPricesPanel
        onImported={() => {
          data.reload();
          suspect.reload();
        }}
      />
      <h2 id="suspect-title">Suspect prices</h2>
      <p className="muted">Closes that moved more than the jump threshold in one day. They are kept and used (real moves and splits look the same); check them against another source.</p>
      {suspect.error ? <ErrorState error={suspect.error} onRetry={suspect.reload} labels={MISSING_LABELS} /> : null}
      {suspectShown ? (
        suspectRows.length === 0 ? (
          <EmptyState title="No suspect prices">No stored close in this range moved beyond the jump threshold.</EmptyState>
        ) : (
          <DataTable label="Suspect prices" rows={suspectRows} columns={SUSPECT_COLUMNS} rowKey={(r) => `${r.date}:${r.symbol}`} height={240} testId="suspect-table" />
        )
      ) : null}
    </section>
  );
}
