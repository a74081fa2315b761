// @vitest-environment happy-dom
/**
 * The Live screen's tables say what their box hides, as every other table does (the shared
 * hint of ui/overflow-hint.tsx, "<testId>-hint"): the phase grid which of its rows show ("Rows
 * 1-13 of 60 shown: scroll the table for the rest") and that it scrolls sideways in a narrow
 * window; the current date's table of portfolios that it hides columns (the Cash column was cut
 * at 1024 px with no word of it). A box that shows everything says nothing.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CurrentDate } from '../../../renderer/features/telemetry/current-date';
import { PhaseGrid } from '../../../renderer/features/telemetry/phase-grid';
import type { GridCell, GridRow } from '../../../renderer/state/live-run';
import { fakeLayout } from '../../support/app/fake-layout';

/** 60 dates: the fake 400 px high box shows 13 whole rows of 28 px below the 30 px heading row. */
const MANY = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));

const cell: GridCell = { status: 'success', reason: null, error: null, durationMs: 0, metrics: null, portfolios: { p1: { status: 'success', reason: null, error: null, durationMs: 0, metrics: null } } };
const row: GridRow = { date: '2026-11-03', status: 'running', cells: { marks: cell, snapshots: cell }, missingPrices: 0, fallbacks: 0, jobsExpected: 0, jobsCompleted: 0, complete: false, live: true, errors: [], portfolioCount: 1 };

/** The content size of the box with class `box` (others fit theirs: 1000 x 400, fakeLayout's). */
function content(box: string, size: { height?: number; width?: number }): void {
  const of = (el: HTMLElement, fallback: number, v: number | undefined) => (el.classList.contains(box) && v !== undefined ? v : fallback);
  vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return of(this, 400, size.height);
  });
  vi.spyOn(HTMLElement.prototype, 'scrollWidth', 'get').mockImplementation(function (this: HTMLElement) {
    return of(this, 1000, size.width);
  });
}

beforeEach(() => {
  fakeLayout();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the Live phase grid', () => {
  it('says which rows its box shows, and follows the scroll', () => {
    content('grid-body', { height: 30 + MANY.length * 28 });
    render(<PhaseGrid dates={MANY} rows={{}} selected={null} onOpen={() => undefined} follow={null} />);
    expect(screen.getByTestId('phase-grid-hint').textContent).toBe('Rows 1-13 of 60 shown: scroll the table for the rest.');
    const body = screen.getByTestId('phase-grid').querySelector<HTMLElement>('.grid-body')!;
    body.scrollTop = 10 * 28;
    fireEvent.scroll(body);
    expect(screen.getByTestId('phase-grid-hint').textContent).toBe('Rows 11-23 of 60 shown: scroll the table for the rest.');
  });

  it('says that it scrolls sideways when its columns are wider than its box', () => {
    content('grid-body', { height: 30 + 5 * 28, width: 1200 });
    render(<PhaseGrid dates={MANY.slice(0, 5)} rows={{}} selected={null} onOpen={() => undefined} follow={null} />);
    expect(screen.getByTestId('phase-grid-hint').textContent).toBe('Scroll it sideways for more columns.');
  });

  it('says nothing while its box shows every row and column', () => {
    content('grid-body', { height: 30 + 5 * 28 });
    render(<PhaseGrid dates={MANY.slice(0, 5)} rows={{}} selected={null} onOpen={() => undefined} follow={null} />);
    expect(screen.queryByTestId('phase-grid-hint')).toBeNull();
  });
});

describe("the current date's table", () => {
  it('says that it hides columns when it is wider than its box', () => {
    content('table-scroll', { width: 1100 });
    render(<CurrentDate row={row} portfolios={[]} />);
    expect(screen.getByTestId('current-date-hint').textContent).toBe('Scroll it sideways for more columns.');
  });

  it('says nothing when every column shows', () => {
    content('table-scroll', {});
    render(<CurrentDate row={row} portfolios={[]} />);
    expect(screen.queryByTestId('current-date-hint')).toBeNull();
  });
});
