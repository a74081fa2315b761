// @vitest-environment happy-dom
/**
 * Live's table of the current date, per portfolio: each phase's status pill and its duration
 * stay on one line ("success 0 ms", not "success 0" above "ms") in a 1280 px window, and in a
 * narrower one the table scrolls sideways in its own box, which the keyboard can scroll too
 * (test/e2e/live-run-screens.test.ts measures it at 900 px).
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CurrentDate } from '../../../renderer/features/telemetry/current-date';
import type { GridCell, GridRow } from '../../../renderer/state/live-run';
import { ruleOf } from '../stylesheet';

afterEach(cleanup);

const cell: GridCell = { status: 'success', reason: null, error: null, durationMs: 0, metrics: null, portfolios: { p1: { status: 'success', reason: null, error: null, durationMs: 0, metrics: null } } };

const row: GridRow = { date: '2026-11-03', status: 'running', cells: { marks: cell, snapshots: cell }, missingPrices: 0, fallbacks: 0, jobsExpected: 0, jobsCompleted: 0, complete: false, live: true, errors: [], portfolioCount: 1 };

describe('the current date table', () => {
  it('keeps a phase status and its duration on one line', () => {
    render(<CurrentDate row={row} portfolios={[]} />);
    const cells = within(screen.getByTestId('current-date')).getAllByRole('cell').filter((c) => c.textContent?.startsWith('success'));
    expect(cells.map((c) => c.textContent)).toEqual(['success 0 ms', 'success 0 ms']);
    for (const c of cells) expect(c.className).toBe('phase-status');
    expect(ruleOf('.current-date td.phase-status')).toContain('white-space: nowrap;');
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
