// @vitest-environment happy-dom
/**
 * The Live phase grid's keyboard follows the WAI-ARIA grid pattern, as the History heatmap
 * does: one tab stop; arrow keys move by one cell; Home/End go to the first/last cell of the
 * current row, Ctrl+Home/Ctrl+End to the first/last cell of the grid.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PHASE_NAMES } from '../../../core/domain/phase';
import { PhaseGrid } from '../../../renderer/features/telemetry/phase-grid';
import { fakeLayout } from '../../support/app/fake-layout';

const DATES = ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'];
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

function press(key: string, init: { ctrlKey?: boolean } = {}): void {
  fireEvent.keyDown(document.activeElement!, { key, ...init });
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
});
