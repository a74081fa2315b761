/**
 * A virtualized table (@tanstack/react-virtual): only the visible rows are in the DOM, so
 * 100k rows stay fast. Keyboard: the table is one tab stop; arrow keys, Page Up/Down, Home
 * and End move the active row (aria-activedescendant), Enter or Space opens it. The heading
 * row is the scroller's first child, stuck to its top: a table narrower than its columns (a
 * narrow window) scrolls sideways in its own box, headings and cells together, never the page.
 * A column may wrap its text (Column.wrap): its rows then grow to fit and are measured as drawn.
 * Rows or columns the box hides are named under it ("Rows 1-13 of 14 shown: scroll the table for
 * the rest"), since a scroll bar may not be drawn until the box is scrolled (overlay scroll bars;
 * ui/overflow-hint.tsx).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { TableHint, useOverflowHint } from './overflow-hint';

export interface Column<T> {
  readonly key: string;
  readonly header: string;
  /** CSS grid track, e.g. '8rem' or '1fr'. */
  readonly width: string;
  readonly align?: 'left' | 'right';
  readonly render: (row: T) => ReactNode;
  /** The cell's whole text as its tooltip, for a cell the column's width may cut short. */
  readonly title?: (row: T) => string;
  /**
   * The cell's text wraps onto more lines (at spaces, else anywhere) instead of being cut short;
   * its row grows to fit, measured as it is drawn.
   */
  readonly wrap?: boolean;
}

export interface DataTableProps<T> {
  readonly label: string;
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  readonly onActivate?: (row: T) => void;
  readonly selectedKey?: string | null;
  readonly rowClass?: (row: T) => string;
  /** Height of the rows' area in px when the rows fill it (the heading row comes on top); fewer rows take only their own height. */
  readonly height?: number;
  readonly testId?: string;
}

const ROW_HEIGHT = 30;

/** Room below the rows for a horizontal scroll bar, so a short list shows its last row whole. */
const FRAME_PX = 16;

export function DataTable<T>({ label, rows, columns, rowKey, onActivate, selectedKey, rowClass, height = 420, testId }: DataTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const rowsRef = useRef<HTMLDivElement>(null);
  // The rows start below the heading row, whose height depends on how its headings wrap.
  const [headHeight, setHeadHeight] = useState(0);
  useLayoutEffect(() => {
    const head = headRef.current;
    if (!head) return undefined;
    const measure = () => setHeadHeight(rowsRef.current?.offsetTop ?? 0);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(head);
    return () => observer.disconnect();
  }, []);
  const [active, setActive] = useState(0);
  const id = useId();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: headHeight,
    // A row scrolled to by the keyboard shows below the sticky heading row, not under it.
    scrollPaddingStart: headHeight,
  });
  // The rows wholly inside the box below the heading row.
  const hint = useOverflowHint(scrollRef, (box) => {
    const top = box.scrollTop + headHeight;
    const bottom = box.scrollTop + box.clientHeight;
    const seen = virtualizer.getVirtualItems().filter((v) => v.start >= top - 1 && v.end <= bottom + 1);
    return { first: seen.length ? seen[0]!.index : 0, last: seen.length ? seen[seen.length - 1]!.index : -1, rows: rows.length };
  });
  const template = columns.map((c) => c.width).join(' ');
  // Rows with a wrapping cell take the height of their text: each is measured as it is drawn.
  const measured = columns.some((c) => c.wrap);
  const move = (to: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => rows[active] && onActivate?.(rows[active]!),
      ' ': () => rows[active] && onActivate?.(rows[active]!),
    };
    const f = keys[e.key];
    if (f && rows.length > 0) {
      e.preventDefault();
      f();
    }
  };
  return (
    <div className="table" role="grid" aria-label={label} aria-rowcount={rows.length + 1} data-testid={testId}>
      <div
        ref={scrollRef}
        className="table-body"
        style={{ height: Math.min(height, Math.max(ROW_HEIGHT, virtualizer.getTotalSize()) + FRAME_PX) + headHeight }}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={rows.length > 0 ? `${id}-r${active}` : undefined}
      >
        <div className="table-columns">
          <div ref={headRef} className="table-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
            {columns.map((c) => (
              <div key={c.key} role="columnheader" className={c.align === 'right' ? 'num' : undefined}>
                {c.header}
              </div>
            ))}
          </div>
          <div ref={rowsRef} className="table-rows" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index]!;
              const key = rowKey(row);
              const classes = ['table-row', v.index === active ? 'active' : '', key === selectedKey ? 'selected' : '', rowClass?.(row) ?? ''].filter(Boolean).join(' ');
              return (
                <div
                  key={key}
                  ref={measured ? virtualizer.measureElement : undefined}
                  data-index={v.index}
                  id={`${id}-r${v.index}`}
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-selected={key === selectedKey}
                  className={classes}
                  style={{ gridTemplateColumns: template, transform: `translateY(${v.start - headHeight}px)`, ...(measured ? { minHeight: ROW_HEIGHT } : { height: ROW_HEIGHT }) }}
                  onClick={() => {
                    setActive(v.index);
                    onActivate?.(row);
                  }}
                >
                  {columns.map((c) => (
                    <div key={c.key} role="gridcell" className={[c.align === 'right' ? 'num' : '', c.wrap ? 'wrap' : ''].filter(Boolean).join(' ') || undefined} title={c.title?.(row)}>
                      {c.render(row)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <TableHint hint={hint} testId={testId} />
    </div>
  );
}
