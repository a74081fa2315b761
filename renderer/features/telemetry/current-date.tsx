/**
 * The current date of the run, per portfolio (SPEC.md h.7): each portfolio phase's status and
 * duration, with the key metrics the phases report: NAV, daily P&L and cash (snapshots),
 * unmarked lots (marks), analytics jobs completed / expected. A monitor-only run's date
 * (`monitor`) says that nothing of it was published. In a narrow window the table scrolls
 * sideways inside its own box.
 */
import { memo } from 'react';
import type { PortfolioSummary } from '../../../core/api/commands/view-commands';
import type { PhaseName } from '../../../core/domain/phase';
import { cellClass, type GridRow } from '../../state/live-run';
import { fmtDuration, fmtMoney, phaseLabel } from '../../ui/format';
import { reasonTitle } from './reason-words';

const PORTFOLIO_PHASES: readonly PhaseName[] = ['marks', 'snapshots', 'sector_tags', 'analytics'];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const CurrentDate = memo(function CurrentDate({ row, portfolios, monitor = false }: { row: GridRow; portfolios: readonly PortfolioSummary[]; monitor?: boolean }) {
  const ids = [...new Set(PORTFOLIO_PHASES.flatMap((p) => Object.keys(row.cells[p]?.portfolios ?? {})))];
  const names = new Map(portfolios.map((p) => [p.id, p.name]));
  if (ids.length === 0) return null;
  return (
    <section className="current-date" aria-labelledby="current-date-title" data-testid="current-date">
      <h2 id="current-date-title">
        {row.date}: portfolios ({row.status}){monitor ? ', monitor-only: computed and rolled back, not published' : ''}
      </h2>
      {/* Wider than a narrow window leaves it: it scrolls sideways in its own box, never the page. */}
      <div className="table-scroll" role="group" aria-labelledby="current-date-title" tabIndex={0}>
        <table className="simple">
          <thead>
            <tr>
              <th>Portfolio</th>
              {PORTFOLIO_PHASES.map((p) => (
                <th key={p}>{phaseLabel(p)}</th>
              ))}
              <th className="num">NAV</th>
              <th className="num">Daily P&amp;L</th>
              <th className="num">Cash</th>
              <th className="num">Unmarked</th>
              <th className="num">Jobs</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => {
              const cell = (p: PhaseName) => row.cells[p]?.portfolios[id];
              const snap = cell('snapshots')?.metrics ?? null;
              const marks = cell('marks')?.metrics ?? null;
              const an = cell('analytics')?.metrics ?? null;
              const expected = num(an?.['jobs_expected']);
              return (
                <tr key={id}>
                  <td>{names.get(id) ?? id.slice(0, 8)}</td>
                  {PORTFOLIO_PHASES.map((p) => {
                    const c = cell(p);
                    return (
                      <td key={p} className="phase-status" title={c?.reason ? reasonTitle(c.reason) : undefined}>
                        <span className={`pill st-${cellClass(c?.status)}`}>{c?.status ?? '-'}</span> {c?.durationMs !== null && c?.durationMs !== undefined ? fmtDuration(c.durationMs) : ''}
                      </td>
                    );
                  })}
                  <td className="num">{fmtMoney(num(snap?.['nav']))}</td>
                  <td className="num">{fmtMoney(num(snap?.['daily_pnl']))}</td>
                  <td className="num">{fmtMoney(num(snap?.['cash']))}</td>
                  <td className="num">{num(marks?.['unmarked']) ?? '-'}</td>
                  <td className="num">{expected !== null ? `${num(an?.['jobs_completed']) ?? 0}/${expected}` : '-'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
});
