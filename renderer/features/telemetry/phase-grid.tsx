/**
 * The date x phase grid, coloured by status (pending, running, ok, warning, failed, skipped),
 * each status with its own symbol as well (GridLegend), and virtualized by row. Keyboard (the WAI-ARIA grid pattern, as the History heatmap): one
 * tab stop; arrow keys move between cells, PageUp/PageDown by a page of rows, Home/End to the
 * first/last cell of the row, Ctrl+Home/Ctrl+End to the first/last cell of the grid; Enter or
 * Space opens the cell the keys moved to, also before the focus has followed them (the focus moves
 * on the next frame; roving focus inside the grid). The row holding the tab stop stays
 * rendered while scrolled away, so a focused cell keeps the focus; while the focus is elsewhere,
 * a scroll moves the tab stop to a row in view, so Tab and the arrows go on from what is shown.
 * The heading row sits in the scroller (sticky): a grid narrower than its columns scrolls
 * sideways with its headings, and the date column stays at the left edge meanwhile (sticky too).
 * Rows or columns its box hides are named under it, as under every table (ui/overflow-hint.tsx).
 * The screen can move the focus back to a cell (after its detail closes) through the grid's handle.
 */
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useImperativeHandle, useRef, useState, type FocusEvent, type KeyboardEvent, type Ref } from 'react';
import { PHASE_NAMES, type PhaseName } from '../../../core/domain/phase';
import { cellClass, type CellClass, type GridRow } from '../../state/live-run';
import { phaseLabel } from '../../ui/format';
import { TableHint, useOverflowHint } from '../../ui/overflow-hint';
import { reasonTitle } from './reason-words';

export interface CellRef {
  readonly date: string;
  readonly phase: PhaseName;
}

export interface PhaseGridHandle {
  /** Scrolls the cell into view and focuses it (no-op for a date the grid no longer shows). */
  focusCell(cell: CellRef): void;
}

const ROW = 28;
/** The heading row's height: it sticks over the top of the scroller, above the rows. */
const HEAD = 30;

/** The rows wholly in view below the sticky heading row (first and last index). */
function rowsInView(el: HTMLElement): { first: number; last: number } {
  return { first: Math.ceil(el.scrollTop / ROW), last: Math.floor((el.scrollTop + el.clientHeight - HEAD) / ROW) - 1 };
}

interface GridRowProps {
  readonly date: string;
  readonly row: GridRow | undefined;
  readonly index: number;
  readonly start: number;
  readonly selectedPhase: PhaseName | null;
  readonly focusCol: number | null;
  readonly onFocusCell: (f: { r: number; c: number }) => void;
  readonly onOpen: (c: CellRef) => void;
}

/** One date's row; memoized so a telemetry update re-renders only the rows it changed. */
const GridRowView = memo(function GridRowView({ date, row, index, start, selectedPhase, focusCol, onFocusCell, onOpen }: GridRowProps) {
  // A date no phase ran on (not run yet, or not run by a cancelled run) has no counts.
  const counted = row && Object.keys(row.cells).length > 0 ? row : undefined;
  return (
    <div className={`grid-row${row?.live ? ' live' : ''}`} role="row" aria-rowindex={index + 2} style={{ transform: `translateY(${start}px)`, height: ROW }} data-date={date}>
      <div role="rowheader">{date}</div>
      <div role="gridcell">
        <span className={`pill st-${cellClass(row?.status)}`}>{row?.status ?? 'pending'}</span>
      </div>
      {PHASE_NAMES.map((p, c) => {
        const cell = row?.cells[p];
        // A phase without a cell is pending while its date runs, else it was not run (a cancelled date, a --phase subset).
        const notRun = row !== undefined && !cell && row.status !== 'running';
        const status = cell?.status ?? (notRun ? 'not run' : 'pending');
        const cls = notRun ? 'skipped' : cellClass(cell?.status);
        const isSel = selectedPhase === p;
        return (
          <div key={p} role="gridcell" aria-selected={isSel}>
            <button
              type="button"
              className={`cell c-${cls}${isSel ? ' selected' : ''}`}
              tabIndex={focusCol === c ? 0 : -1}
              data-cell={`${index}:${c}`}
              data-testid={`cell-${date}-${p}`}
              data-status={cls}
              aria-label={`${date} ${phaseLabel(p)}: ${status}`}
              title={`${phaseLabel(p)}: ${status}${cell?.reason ? `: ${reasonTitle(cell.reason)}` : ''}`}
              onFocus={() => onFocusCell({ r: index, c })}
              onClick={() => onOpen({ date, phase: p })}
            >
              {CELL_MARK[cls]}
            </button>
          </div>
        );
      })}
      <div role="gridcell" className="num">
        {counted?.missingPrices ?? ''}
      </div>
      <div role="gridcell" className="num">
        {counted?.fallbacks ?? ''}
      </div>
      <div role="gridcell" className="num">
        {counted && counted.jobsExpected > 0 ? `${counted.jobsCompleted}/${counted.jobsExpected}` : ''}
      </div>
    </div>
  );
});

/** Column headings short enough for the split view; the full name is in the title. */
const PHASE_SHORT: Record<PhaseName, string> = { market_data: 'market', fundamentals: 'fund.', marks: 'marks', snapshots: 'snaps', sector_tags: 'sectors', analytics: 'analytics' };

/** A symbol per class, so that no status relies on colour alone (the legend names them). */
export const CELL_MARK: Readonly<Record<CellClass, string>> = { ok: '\u2713', warning: '~', failed: '!', running: '...', skipped: '-', pending: '\u25CB' };

/** The legend's order and words: what each cell class stands for. */
const LEGEND: readonly [CellClass, string][] = [
  ['ok', 'ok'],
  ['warning', 'warning (partial, stale)'],
  ['failed', 'failed'],
  ['running', 'running'],
  ['pending', 'pending'],
  ['skipped', 'skipped or not run'],
];

/** What each cell's symbol and colour mean; each cell's tooltip names its status too. */
export function GridLegend() {
  return (
    <ul className="grid-legend" aria-label="Cell symbols" data-testid="grid-legend">
      {LEGEND.map(([cls, words]) => (
        <li key={cls}>
          <span className={`cell c-${cls}`} aria-hidden="true">
            {CELL_MARK[cls]}
          </span>{' '}
          {words}
        </li>
      ))}
    </ul>
  );
}

export function PhaseGrid({
  dates,
  rows,
  selected,
  onOpen,
  follow,
  ref,
}: {
  dates: readonly string[];
  rows: Readonly<Record<string, GridRow>>;
  selected: CellRef | null;
  onOpen: (c: CellRef) => void;
  follow: string | null;
  ref?: Ref<PhaseGridHandle>;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focus, setFocusState] = useState<{ r: number; c: number }>({ r: 0, c: 0 });
  // The tab stop as of the last key, ahead of the DOM focus (moved on the next frame, once its row
  // is rendered): Enter or Space pressed before that frame opens this cell, not the one still focused.
  const focusRef = useRef(focus);
  const setFocus = useCallback((f: { r: number; c: number }) => {
    focusRef.current = f;
    setFocusState(f);
  }, []);
  // The tab stop's row is always rendered: scrolled out of view, its focused cell keeps the focus.
  const rangeExtractor = useCallback((range: Range) => {
    const rows = defaultRangeExtractor(range);
    return focus.r < range.count && !rows.includes(focus.r) ? [...rows, focus.r].sort((a, b) => a - b) : rows;
  }, [focus.r]);
  const virtualizer = useVirtualizer({
    count: dates.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 6,
    rangeExtractor,
    // The rows start below the heading row, which covers the top of the scroller.
    scrollMargin: HEAD,
    scrollPaddingStart: HEAD,
  });
  const hint = useOverflowHint(scrollRef, (el) => {
    const view = rowsInView(el);
    return { first: view.first, last: Math.min(view.last, dates.length - 1), rows: dates.length };
  });
  // Keep the running date in view while the run progresses (a direct scroll: cheap at 10 updates a second).
  const followIndex = follow ? dates.indexOf(follow) : -1;
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || followIndex < 0) return;
    const view = rowsInView(el);
    if (followIndex < view.first || followIndex > view.last) el.scrollTop = Math.max(0, HEAD + (followIndex + 2) * ROW - el.clientHeight);
  }, [followIndex]);

  const moveTo = (r: number, c: number, align: 'auto' | 'start' | 'end' = 'auto') => {
    const rr = Math.max(0, Math.min(dates.length - 1, r));
    const cc = Math.max(0, Math.min(PHASE_NAMES.length - 1, c));
    setFocus({ r: rr, c: cc });
    virtualizer.scrollToIndex(rr, { align });
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLButtonElement>(`[data-cell="${rr}:${cc}"]`)?.focus());
  };
  // While the focus is outside the grid, its tab stop follows the scroll to the first row in view.
  const tabStopToView = () => {
    const el = scrollRef.current;
    if (!el || dates.length === 0) return;
    const view = rowsInView(el);
    if (focus.r < view.first || focus.r > view.last) setFocus({ r: Math.min(dates.length - 1, view.first), c: focus.c });
  };
  const onScroll = () => {
    const el = scrollRef.current;
    // The sticky date column shows its edge while cells pass under it (an attribute set here: no render per scroll).
    el?.toggleAttribute('data-scrolled-x', el.scrollLeft > 0);
    if (!el?.contains(document.activeElement)) tabStopToView();
  };
  const onBlur = (e: FocusEvent) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) tabStopToView();
  };
  useImperativeHandle(ref, () => ({
    focusCell: (cell) => {
      const r = dates.indexOf(cell.date);
      if (r >= 0) moveTo(r, PHASE_NAMES.indexOf(cell.phase));
    },
  }));
  const onKeyDown = (e: KeyboardEvent) => {
    const last = PHASE_NAMES.length - 1;
    const focus = focusRef.current;
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - HEAD) / ROW));
    const map: Record<string, () => void> = {
      ArrowDown: () => moveTo(focus.r + 1, focus.c),
      ArrowUp: () => moveTo(focus.r - 1, focus.c),
      ArrowRight: () => moveTo(focus.r, focus.c + 1),
      ArrowLeft: () => moveTo(focus.r, focus.c - 1),
      // A page down brings the rows below the view into it, the focused one at the top.
      PageDown: () => moveTo(focus.r + page, focus.c, 'start'),
      PageUp: () => moveTo(focus.r - page, focus.c, 'end'),
      Home: () => moveTo(e.ctrlKey ? 0 : focus.r, 0),
      End: () => moveTo(e.ctrlKey ? dates.length - 1 : focus.r, last),
    };
    const f = map[e.key];
    if (f) {
      e.preventDefault();
      f();
    } else if ((e.key === 'Enter' || e.key === ' ') && dates.length > 0) {
      // Not the focused button's own click: it may still be the cell the arrow key has just left.
      e.preventDefault();
      onOpen({ date: dates[Math.min(focus.r, dates.length - 1)]!, phase: PHASE_NAMES[focus.c]! });
    }
  };
  return (
    <div className="grid" role="grid" aria-label="Dates by phase" aria-rowcount={dates.length + 1} data-testid="phase-grid" onKeyDown={onKeyDown} onBlur={onBlur}>
      <div ref={scrollRef} className="grid-body" onScroll={onScroll}>
        <div className="grid-row grid-head" role="row" style={{ height: HEAD }}>
          <div role="columnheader">Date</div>
          <div role="columnheader">Status</div>
          {PHASE_NAMES.map((p) => (
            <div key={p} role="columnheader" title={phaseLabel(p)}>
              <abbr title={phaseLabel(p)}>{PHASE_SHORT[p]}</abbr>
            </div>
          ))}
          <div role="columnheader" className="num">
            Missing
          </div>
          <div role="columnheader" className="num">
            Fallback
          </div>
          <div role="columnheader" className="num">
            Jobs
          </div>
        </div>
        {dates.length === 0 ? <p className="state state-empty">No dates yet. Start a run, or run one with the CLI: its dates appear here.</p> : null}
        <div className="grid-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const date = dates[v.index]!;
            return (
              <GridRowView
                key={date}
                date={date}
                row={rows[date]}
                index={v.index}
                start={v.start - HEAD}
                selectedPhase={selected?.date === date ? selected.phase : null}
                focusCol={focus.r === v.index ? focus.c : null}
                onFocusCell={setFocus}
                onOpen={onOpen}
              />
            );
          })}
        </div>
      </div>
      <TableHint hint={hint} testId="phase-grid" />
    </div>
  );
}
