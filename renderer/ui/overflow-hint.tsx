/**
 * What a table's scrolling box hides, said under it ("Rows 1-13 of 14 shown: scroll the table
 * for the rest", "Scroll it sideways for more columns"), since an overlay scroll bar is not drawn
 * until the box is scrolled. One mechanism for every table that scrolls in its own box: the
 * shared DataTable, the Live phase grid and the Live current date's table.
 */
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** The rows a box shows wholly (first and last index; last < first when none) and how many it has. */
export interface RowsInView {
  readonly first: number;
  readonly last: number;
  readonly rows: number;
}

/** What the box hides, as its hint under the table says it; null when it shows everything. */
export function overflowHint(o: RowsInView & { readonly down: boolean; readonly sideways: boolean }): string | null {
  const parts: string[] = [];
  if (o.down) parts.push(o.last >= o.first ? `Rows ${o.first + 1}-${o.last + 1} of ${o.rows} shown: scroll the table for the rest.` : `Scroll the table for its ${o.rows} rows.`);
  if (o.sideways) parts.push('Scroll it sideways for more columns.');
  return parts.length ? parts.join(' ') : null;
}

/**
 * The hint of the scrolling box `boxRef` (rendered from the first render on): whether it hides
 * rows below or columns beside, and which rows it shows (`rowsInView`, read from the box). It is
 * checked after every render, on every scroll and when the box is resized.
 */
export function useOverflowHint(boxRef: RefObject<HTMLElement | null>, rowsInView: (box: HTMLElement) => RowsInView): string | null {
  const [hint, setHint] = useState<string | null>(null);
  // The latest render's reading of the rows, for the scroll and resize listeners.
  const readRows = useRef(rowsInView);
  const check = useCallback(() => {
    const box = boxRef.current;
    if (!box) return;
    const next = overflowHint({ ...readRows.current(box), down: box.scrollHeight - box.clientHeight > 1, sideways: box.scrollWidth - box.clientWidth > 1 });
    setHint((h) => (h === next ? h : next));
  }, [boxRef]);
  useLayoutEffect(() => {
    readRows.current = rowsInView;
    check();
  });
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return undefined;
    const observer = new ResizeObserver(check);
    observer.observe(box);
    box.addEventListener('scroll', check, { passive: true });
    return () => {
      observer.disconnect();
      box.removeEventListener('scroll', check);
    };
  }, [boxRef, check]);
  return hint;
}

/** The hint under a table (nothing while the box shows everything); its test id is `<testId>-hint`. */
export function TableHint({ hint, testId }: { hint: string | null; testId?: string }) {
  return hint ? (
    <p className="table-hint" data-testid={testId ? `${testId}-hint` : undefined}>
      {hint}
    </p>
  ) : null;
}
