// @vitest-environment happy-dom
/**
 * Debug a date (SPEC.md g.12, m.21) when the monitor-only run fails: the screen says the run
 * failed and lists each failed phase's reason, as the CLI does, and its verdict counts the
 * blocked portfolio-date as failed, apart from the date-level rows (not "0 differ, 1 new"). The answers are those of the real host for a blocked
 * portfolio-date (test/host/handlers/debug-failures.test.ts checks the host gives them); a
 * failed run without reasons still says it failed, and where to find them.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { DebugScreen } from '../../../renderer/features/debug/debug-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport } from '../../support/app/fake-transport';

afterEach(cleanup);

const RUN = 'batch_20250715_230000_d716';
const MARKS = 'marks[9381dd8d]: rolled back: snapshots failed';
const SNAPSHOTS =
  'snapshots[9381dd8d]: Demo Family Office Public Growth has no snapshot for 2025-07-09 (latest before 2025-07-10: 2025-07-08); blocked by 2025-07-09: run that date first (--retry-failed-phases redoes failed dates in order)';

const debugOutput = (failures: string[]) => ({
  state: 'failed',
  exitCode: 1,
  batchRunId: RUN,
  nothingToRun: null,
  monitor: {
    schema: 'batchdesk.monitor/1',
    tolerances: { money: 0.01, ratio: 1e-6 },
    clean: false,
    entries_compared: 2,
    entries_different: 0,
    entries_new: 1,
    date_level: { compared: 1, same: 0, different: 0, new: 1, failed: 0, not_run: 0 },
    portfolio_dates: { compared: 1, same: 0, different: 0, new: 0, failed: 1, not_run: 0 },
    totals: { rows_added: 168, rows_removed: 0, rows_changed: 0 },
    entries: [
      { date: '2025-07-10', portfolio_id: null, status: 'new', tables: [] },
      { date: '2025-07-10', portfolio_id: '9381dd8d-db58-9843-f5e4-4eea0ae62e9a', status: 'failed', tables: [] },
    ],
    trace_dir: null,
  },
  failures,
  documents: [],
  omitted: 0,
  error: null,
});

function renderDebug(failures: string[]) {
  const client = new EngineClient(new FakeTransport({ listPortfolios: () => ({ portfolios: [] }), debugDate: () => debugOutput(failures) }));
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <DebugScreen initialDate="2025-07-10" />
    </ServicesProvider>,
  );
  fireEvent.click(screen.getByTestId('debug-run'));
}

describe('Debug screen', () => {
  it('a failed monitor-only run shows the failure and each failed phase reason', async () => {
    renderDebug([`2025-07-10 ${MARKS}`, `2025-07-10 ${SNAPSHOTS}`]);
    const failures = await screen.findByTestId('debug-failures');
    expect(screen.getByTestId('debug-result').querySelector('[role=status]')!.textContent).toBe(`Monitor-only run ${RUN}: failed, exit code 1 (some dates failed or are partial). Date-level rows: new (nothing stored yet). Portfolio-dates (1): 1 failed (rolled back).`);
    expect(failures.getAttribute('role')).toBe('alert');
    expect(failures.textContent).toContain('The monitor-only run failed');
    expect([...failures.querySelectorAll('li')].map((li) => li.textContent)).toEqual([`2025-07-10 ${MARKS}`, `2025-07-10 ${SNAPSHOTS}`]);
  });

  it('a failed run without reasons still says it failed, and where to look', async () => {
    renderDebug([]);
    const failures = await screen.findByTestId('debug-failures');
    expect(failures.textContent).toContain('The monitor-only run failed');
    expect(failures.querySelectorAll('li')).toHaveLength(0);
    expect(failures.textContent).toContain("Its reasons are in the run's log");
    // A failed run that left no trace documents is not "a date that was not processed".
    expect(screen.queryByText(/The date was not processed/)).toBeNull();
  });
});
