// @vitest-environment happy-dom
/**
 * The Live phase grid's keyboard follows the WAI-ARIA grid pattern, as the History heatmap
 * does: one tab stop; arrow keys move by one cell; PageUp/PageDown by a page of rows; Home/End
 * go to the first/last cell of the current row, Ctrl+Home/Ctrl+End to the first/last cell of
 * the grid. Scrolling keeps a focused cell focused (its row stays rendered); while the focus is
 * elsewhere, the tab stop follows the scroll to a row in view. Enter or Space opens the cell
 * holding the tab stop, also when pressed right after an arrow key, before the focus followed it.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PHASE_NAMES } from '../../../core/domain/phase';
import { PhaseGrid } from '../../../renderer/features/telemetry/phase-grid';
import { fakeLayout } from '../../support/app/fake-layout';

const DATES = ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'];
/** 60 dates: far more than the 400px high fake viewport shows (13 rows of 28px below the 30px heading row). */
const MANY = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));
const PAGE = 13;
const FIRST = PHASE_NAMES[0]!;
const LAST = PHASE_NAMES[PHASE_NAMES.length - 1]!;

beforeEach(() => {
  fakeLayout(); // so the virtualized grid renders rows
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const cell = (date: string, phase: string) => screen.getByTestId(`cell-${date}-${phase}`);

const body = () => screen.getByTestId('phase-grid').querySelector<HTMLElement>('.grid-body')!;

/** Scrolls the grid body as the mouse wheel does (happy-dom sends no scroll event for a scrollTop set by script). */
function wheelTo(row: number): void {
  body().scrollTop = row * 28;
  fireEvent.scroll(body());
}

function press(key: string, init: { ctrlKey?: boolean } = {}): void {
  fireEvent.keyDown(document.activeElement!, { key, ...init });
}

/** Presses `key` on the focused element as a browser does: a keydown not prevented activates (clicks) the focused button. */
function activate(key: string): void {
  const target = document.activeElement!;
  if (fireEvent.keyDown(target, { key })) fireEvent.click(target);
}

async function expectFocus(date: string, phase: string) {
  await waitFor(() => expect(document.activeElement).toBe(cell(date, phase)));
  // One tab stop: only the focused cell is in the tab order.
  expect(screen.getByTestId('phase-grid').querySelectorAll('button[tabindex="0"]')).toHaveLength(1);
}

describe('the Live phase grid keyboard', () => {
  it('Home/End go to the first/last cell of the row; Ctrl+Home/Ctrl+End to the first/last cell of the grid', async () => {
    render(<PhaseGrid dates={DATES} rows={{}} selected={null} onOpen={() => undefined} follow={null} />);
    const start = cell('2025-07-03', 'marks');
    start.focus();
    await expectFocus('2025-07-03', 'marks');
    press('ArrowRight');
    await expectFocus('2025-07-03', 'snapshots');
    press('ArrowDown');
    await expectFocus('2025-07-07', 'snapshots');
    press('Home');
    await expectFocus('2025-07-07', FIRST);
    press('End');
    await expectFocus('2025-07-07', LAST);
    press('ArrowUp');
    await expectFocus('2025-07-03', LAST);
    press('Home', { ctrlKey: true });
    await expectFocus(DATES[0]!, FIRST);
    press('End', { ctrlKey: true });
    await expectFocus(DATES[DATES.length - 1]!, LAST);
  });

  it('PageDown/PageUp move the focus by a page of rows', async () => {
    render(<PhaseGrid dates={MANY} rows={{}} selected={null} onOpen={() => undefined} follow={null} />);
    cell(MANY[0]!, 'marks').focus();
    await expectFocus(MANY[0]!, 'marks');
    press('PageDown');
    await expectFocus(MANY[PAGE]!, 'marks');
    press('PageDown');
    await expectFocus(MANY[2 * PAGE]!, 'marks');
    press('PageUp');
    await expectFocus(MANY[PAGE]!, 'marks');
    press('End', { ctrlKey: true });
    press('PageDown');
    await expectFocus(MANY[MANY.length - 1]!, LAST);
  });

  it('a focused cell keeps the focus when the grid is scrolled away from it, and the arrows go on from it', async () => {
    render(<PhaseGrid dates={MANY} rows={{}} selected={null} onOpen={() => undefined} follow={null} />);
    cell(MANY[2]!, 'marks').focus();
    await expectFocus(MANY[2]!, 'marks');
    wheelTo(40);
    await waitFor(() => expect(screen.queryByTestId(`cell-${MANY[45]!}-marks`)).not.toBeNull());
    expect(document.activeElement).toBe(cell(MANY[2]!, 'marks'));
    press('ArrowDown');
    await expectFocus(MANY[3]!, 'marks');
  });

  it('with the focus elsewhere, a scroll moves the tab stop to the first row in view: Tab and the arrows go on from there', async () => {
    render(
      <>
        <button type="button">before</button>
        <PhaseGrid dates={MANY} rows={{}} selected={null} onOpen={() => undefined} follow={null} />
      </>,
    );
    cell(MANY[2]!, 'marks').focus();
    await expectFocus(MANY[2]!, 'marks');
    screen.getByRole('button', { name: 'before' }).focus();
    wheelTo(40);
    await waitFor(() => expect(screen.getByTestId('phase-grid').querySelector('button[tabindex="0"]')).toBe(cell(MANY[40]!, 'marks')));
    // The tab stop is the one cell in the tab order, in a row in view.
    expect(screen.getByTestId('phase-grid').querySelectorAll('button[tabindex="0"]')).toHaveLength(1);
    cell(MANY[40]!, 'marks').focus(); // where Tab lands
    press('ArrowDown');
    await expectFocus(MANY[41]!, 'marks');
    expect(body().scrollTop).toBe(40 * 28);
  });

  it('a cell scrolled out of view while focused gives the tab stop to a row in view once the focus leaves the grid', async () => {
    render(
      <>
        <PhaseGrid dates={MANY} rows={{}} selected={null} onOpen={() => undefined} follow={null} />
        <button type="button">after</button>
      </>,
    );
    cell(MANY[2]!, 'marks').focus();
    await expectFocus(MANY[2]!, 'marks');
    wheelTo(40);
    await waitFor(() => expect(screen.queryByTestId(`cell-${MANY[45]!}-marks`)).not.toBeNull());
    // Tab: the focus leaves the grid; Shift+Tab comes back to the view, not to the row scrolled away.
    screen.getByRole('button', { name: 'after' }).focus();
    await waitFor(() => expect(screen.getByTestId('phase-grid').querySelector('button[tabindex="0"]')).toBe(cell(MANY[40]!, 'marks')));
    expect(screen.getByTestId('phase-grid').querySelectorAll('button[tabindex="0"]')).toHaveLength(1);
  });

  it('Enter or Space right after an arrow key opens the cell the arrow moved to, not the one the focus has not left yet', async () => {
    const onOpen = vi.fn();
    render(<PhaseGrid dates={DATES} rows={{}} selected={null} onOpen={onOpen} follow={null} />);
    cell('2025-07-08', 'analytics').focus();
    await expectFocus('2025-07-08', 'analytics');
    // No frame between the keys: the DOM focus is still on the cell left.
    press('ArrowUp');
    press('ArrowUp');
    activate('Enter');
    expect(onOpen.mock.calls).toEqual([[{ date: '2025-07-03', phase: 'analytics' }]]);
    await expectFocus('2025-07-03', 'analytics');
    press('ArrowLeft');
    activate(' ');
    expect(onOpen.mock.calls).toEqual([[{ date: '2025-07-03', phase: 'analytics' }], [{ date: '2025-07-03', phase: PHASE_NAMES[PHASE_NAMES.length - 2] }]]);
  });
});
