// @vitest-environment happy-dom
/**
 * Live's table of the current date, per portfolio: each phase's duration stands whole under its
 * status pill ("0 ms", not "0" above "ms"); the columns' widths fit a 1280 px window with room
 * for the portfolio names on two lines (the Jobs column was cut there, the names wrapped onto
 * four lines); in a narrower one the table scrolls sideways in its own box, which the keyboard
 * can scroll too (test/e2e/live-run-screens.test.ts measures it at 900 px).
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CurrentDate } from '../../../renderer/features/telemetry/current-date';
import type { GridCell, GridRow } from '../../../renderer/state/live-run';
import { px, REM, ruleOf, screenWidth } from '../stylesheet';

afterEach(cleanup);

const cell: GridCell = { status: 'success', reason: null, error: null, durationMs: 0, metrics: null, portfolios: { p1: { status: 'success', reason: null, error: null, durationMs: 0, metrics: null } } };

const row: GridRow = { date: '2026-11-03', status: 'running', cells: { marks: cell, snapshots: cell }, missingPrices: 0, fallbacks: 0, jobsExpected: 0, jobsCompleted: 0, complete: false, live: true, errors: [], portfolioCount: 1 };

describe('the current date table', () => {
  it("keeps a phase's duration whole, under its status pill", () => {
    render(<CurrentDate row={row} portfolios={[]} />);
    const cells = within(screen.getByTestId('current-date')).getAllByRole('cell').filter((c) => c.textContent?.startsWith('success'));
    expect(cells.map((c) => c.textContent)).toEqual(['success 0 ms', 'success 0 ms']);
    for (const c of cells) expect(c.className).toBe('phase-status');
    expect(cells.map((c) => c.querySelector('.duration')?.textContent)).toEqual(['0 ms', '0 ms']);
    expect(ruleOf('.current-date td.phase-status .duration')).toMatch(/display: block;[^}]*white-space: nowrap;/);
  });

  it('fits a 1280 px window, with the room the other columns leave for the portfolio names', () => {
    render(<CurrentDate row={row} portfolios={[]} />);
    const table = within(screen.getByTestId('current-date')).getByRole('table');
    const cols = [...table.querySelectorAll('col')].map((c) => c.style.width);
    // Every column but the portfolio's has a width; the portfolio's takes the rest.
    expect(cols).toHaveLength(table.querySelectorAll('th').length);
    expect(cols[0]).toBe('');
    const widths = cols.slice(1).map(px);
    for (const w of widths) expect(w).toBeGreaterThan(0);
    const least = px(table.style.minWidth);
    expect(least).toBeLessThanOrEqual(screenWidth(1280));
    // The names' least room: "Demo Family Office" above "Private Opportunities".
    expect(least - widths.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12 * REM);
  });

  it('sits in a box of its own that scrolls sideways and takes the focus', () => {
    render(<CurrentDate row={row} portfolios={[]} />);
    const box = screen.getByRole('group', { name: '2026-11-03: portfolios (running)' });
    expect(box.className).toBe('table-scroll');
    expect(box.tabIndex).toBe(0);
    expect(box.firstElementChild!.tagName).toBe('TABLE');
    expect(ruleOf('.table-scroll')).toContain('overflow-x: auto;');
  });
});
