/**
 * `history --running` (runningReport, SPEC.md i.5): for a run in flight, the dates done come
 * from its committed tracking rows, so they are current between heartbeats (the history row's
 * counters move only every lock.heartbeat_interval_ms). Read from a second connection in the
 * middle of a real demo backfill, as another terminal would. A date a cancelled run left open
 * is "unfinished" (and `cancelled` in `history`), not "in progress".
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { openDatabase } from '../../../db/open-database';
import { historyReport, runningReport, type RunningReport } from '../../../host/diagnostics/history-report';
import { DEMO_NOW_SHORT, tempDir } from '../../support/cli';
import { runDemo, seedDemoDb } from '../../support/demo-db';

describe('runningReport', () => {
  it('counts the dates a running run has committed, not the last heartbeat', async () => {
    const path = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-running-'));
    const seen: RunningReport[] = [];
    let dates = 0;
    const r = await runDemo(path, DEMO_NOW_SHORT, {}, {
      sinks: [
        {
          name: 'reader',
          handle: (e) => {
            // date_result comes after the date's commit.
            if (e.event !== 'date_result' || ++dates % 20 !== 0) return;
            const db = openDatabase(path, { readonly: true });
            try {
              seen.push(runningReport(db));
            } finally {
              db.close();
            }
          },
        },
      ],
    });
    expect(r.kind).toBe('run');
    expect(seen.map((s) => [s.run?.status, s.run?.datesCompleted, s.run?.datesFailed])).toEqual([
      ['running', 20, 0],
      ['running', 40, 0],
      ['running', 60, 0],
    ]);
    expect(seen.every((s) => s.run?.datesPlanned === dates && s.lock !== null)).toBe(true);
  }, 120_000);

  it('shows a date a cancelled run left open as unfinished and cancelled, not as in progress', async () => {
    const path = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-running-cancel-'));
    const controller = new AbortController();
    let portfolioDates = 0;
    // Cancel in the middle of the third date: after its second portfolio.
    const r = await runDemo(path, DEMO_NOW_SHORT, {}, { signal: controller.signal, hooks: { afterPortfolioDate: () => void (++portfolioDates === 12 && controller.abort()) } });
    expect(r.exitCode).toBe(130);
    const db = openDatabase(path, { readonly: true });
    try {
      const running = runningReport(db);
      expect(running).toMatchObject({ lock: null, run: null, openDates: [], unfinishedDates: ['2025-07-02'], latestCompletedDate: '2025-07-01' });
      const history = historyReport(db, { days: 30, status: null, today: '2025-07-03' as IsoDate, nowIso: '2025-07-03T00:00:00.000000Z' });
      expect(history.dates.map((d) => [d.date, d.status])).toEqual([
        ['2025-06-30', 'success'],
        ['2025-07-01', 'success'],
        ['2025-07-02', 'cancelled'],
      ]);
    } finally {
      db.close();
    }
  }, 120_000);
});
