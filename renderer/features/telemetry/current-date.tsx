/**
 * The current date of the run, per portfolio (SPEC.md h.7): each portfolio phase's status and
 * duration, with the key metrics the phases report: NAV, daily P&L and cash (snapshots),
 * unmarked lots (marks), analytics jobs completed / expected. A monitor-only run's date
 * (`monitor`) says that nothing of it was published. The columns have widths that fit a
 * 1280 px window; in a narrower one the table scrolls sideways inside its own box, and says so
 * under it (ui/overflow-hint.tsx).
 */
import { memo, useRef } from 'react';
import type { PortfolioSummary } from '../../../core/api/commands/view-commands';
import type { PhaseName } from '../../../core/domain/phase';
import { cellClass, type GridRow, type PortfolioCell } from '../../state/live-run';
import { fmtDuration, fmtMoney, phaseLabel } from '../../ui/format';
import { TableHint, useOverflowHint } from '../../ui/overflow-hint';
import { reasonTitle } from './reason-words';

const PORTFOLIO_PHASES: readonly PhaseName[] = ['marks', 'snapshots', 'sector_tags', 'analytics'];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A metric column: its header, its width in rem and its value from the portfolio's cells. The
 * widths hold money to -9,999,999.99 (daily P&L to -999,999.99), at the cell's padding; a wider
 * value widens its column rather than be cut.
 */
interface MetricColumn {
  readonly header: string;
  readonly rem: number;
  readonly value: (cell: (p: PhaseName) => PortfolioCell | undefined) => string;
}

const metric = (cell: PortfolioCell | undefined, key: string): number | null => num(cell?.metrics?.[key]);

const METRIC_COLUMNS: readonly MetricColumn[] = [
  { header: 'NAV', rem: 8.25, value: (cell) => fmtMoney(metric(cell('snapshots'), 'nav')) },
  { header: 'Daily P&L', rem: 7.25, value: (cell) => fmtMoney(metric(cell('snapshots'), 'daily_pnl')) },
  { header: 'Cash', rem: 8.25, value: (cell) => fmtMoney(metric(cell('snapshots'), 'cash')) },
  { header: 'Unmarked', rem: 6.25, value: (cell) => String(metric(cell('marks'), 'unmarked') ?? '-') },
  {
    header: 'Jobs',
    rem: 4.5,
    value: (cell) => {
      const expected = metric(cell('analytics'), 'jobs_expected');
      return expected !== null ? `${metric(cell('analytics'), 'jobs_completed') ?? 0}/${expected}` : '-';
    },
  },
];

/**
 * A phase's column: its status pill with the duration under it (up to "1 h 05 min"). Side by
 * side they made the four phase columns take half the table's width at 1280 px.
 */
const PHASE_REM = 6.75;

/**
 * The least width of the portfolio column, which takes the room the others leave: the demo's
 * longest name on two lines ("Demo Family Office" above "Private Opportunities").
 */
const PORTFOLIO_MIN_REM = 12;

/**
 * The table's least width (rem): its columns fit a 1280 px window's Live screen, with the
 * portfolio names on two lines; a narrower window scrolls the table sideways rather than wrap
 * the names onto more.
 */
const TABLE_MIN_REM = PORTFOLIO_MIN_REM + PORTFOLIO_PHASES.length * PHASE_REM + METRIC_COLUMNS.reduce((sum, c) => sum + c.rem, 0);

export const CurrentDate = memo(function CurrentDate({ row, portfolios, monitor = false }: { row: GridRow; portfolios: readonly PortfolioSummary[]; monitor?: boolean }) {
  const ids = [...new Set(PORTFOLIO_PHASES.flatMap((p) => Object.keys(row.cells[p]?.portfolios ?? {})))];
  if (ids.length === 0) return null;
  return (
    <section className="current-date" aria-labelledby="current-date-title" data-testid="current-date">
      <h2 id="current-date-title">
        {row.date}: portfolios ({row.status}){monitor ? ', monitor-only: computed and rolled back, not published' : ''}
      </h2>
      <PortfolioTable row={row} ids={ids} portfolios={portfolios} />
    </section>
  );
});

/** The date's portfolios, one row each, in a box that scrolls sideways and says when it hides columns. */
function PortfolioTable({ row, ids, portfolios }: { row: GridRow; ids: readonly string[]; portfolios: readonly PortfolioSummary[] }) {
  const names = new Map(portfolios.map((p) => [p.id, p.name]));
  const box = useRef<HTMLDivElement>(null);
  // Every row shows: the box scrolls sideways only.
  const hint = useOverflowHint(box, () => ({ first: 0, last: ids.length - 1, rows: ids.length }));
  return (
    <>
      {/* Wider than a narrow window leaves it: it scrolls sideways in its own box, never the page. */}
      <div ref={box} className="table-scroll" role="group" aria-labelledby="current-date-title" tabIndex={0}>
        <table className="simple" style={{ minWidth: `${TABLE_MIN_REM}rem` }}>
          <colgroup>
            <col />
            {PORTFOLIO_PHASES.map((p) => (
              <col key={p} style={{ width: `${PHASE_REM}rem` }} />
            ))}
            {METRIC_COLUMNS.map((c) => (
              <col key={c.header} style={{ width: `${c.rem}rem` }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th>Portfolio</th>
              {PORTFOLIO_PHASES.map((p) => (
                <th key={p}>{phaseLabel(p)}</th>
              ))}
              {METRIC_COLUMNS.map((c) => (
                <th key={c.header} className="num">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => {
              const cell = (p: PhaseName) => row.cells[p]?.portfolios[id];
              return (
                <tr key={id}>
                  <td>{names.get(id) ?? id.slice(0, 8)}</td>
                  {PORTFOLIO_PHASES.map((p) => {
                    const c = cell(p);
                    return (
                      <td key={p} className="phase-status" title={c?.reason ? reasonTitle(c.reason) : undefined}>
                        <span className={`pill st-${cellClass(c?.status)}`}>{c?.status ?? '-'}</span>{' '}
                        {c?.durationMs !== null && c?.durationMs !== undefined ? <span className="duration">{fmtDuration(c.durationMs)}</span> : null}
                      </td>
                    );
                  })}
                  {METRIC_COLUMNS.map((m) => (
                    <td key={m.header} className="num">
                      {m.value(cell)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <TableHint hint={hint} testId="current-date" />
    </>
  );
}
