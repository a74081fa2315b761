/**
 * `history --running` (runningReport, SPEC.md i.5): for a run in flight, the dates done come
 * from its committed tracking rows, so they are current between heartbeats (the history row's
 * counters move only every lock.heartbeat_interval_ms). Read from a second connection in the
 * middle of a real demo backfill, as another terminal would. A date a cancelled run left open
 * is "unfinished" (and `cancelled` in `history`), not "in progress".
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { openDatabase } from '../../../db/open-database';
import { historyReport, runningReport, type RunningReport } from '../../../host/diagnostics/history-report';
import { DEMO_NOW_SHORT, tempDir } from '../../support/cli';
import { runDemo, seedDemoDb } from '../../support/demo-db';

const NEVER_STALE = () => false;

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
              seen.push(runningReport(db, NEVER_STALE));
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

  it('shows a date a cancel stopped part-way as finished and partial (g.6), not as in progress', async () => {
    const path = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-running-cancel-'));
    const controller = new AbortController();
    let portfolioDates = 0;
    // Cancel in the middle of the third date: after its second portfolio.
    const r = await runDemo(path, DEMO_NOW_SHORT, {}, { signal: controller.signal, hooks: { afterPortfolioDate: () => void (++portfolioDates === 12 && controller.abort()) } });
    expect(r.exitCode).toBe(130);
    const db = openDatabase(path, { readonly: true });
    try {
      const running = runningReport(db, NEVER_STALE);
      expect(running).toMatchObject({ lock: null, run: null, openDates: [], unfinishedDates: [], latestCompletedDate: '2025-07-02' });
      const history = historyReport(db, { days: 30, status: null, today: '2025-07-03' as IsoDate, nowIso: '2025-07-03T00:00:00.000000Z', isStale: NEVER_STALE });
      expect(history.dates.map((d) => [d.date, d.status])).toEqual([
        ['2025-06-30', 'success'],
        ['2025-07-01', 'success'],
        ['2025-07-02', 'partial'],
      ]);
      // Its failed phases: none (the portfolios a cancel left unrun are skipped, not failed).
      expect(history.failedDates).toEqual([]);
    } finally {
      db.close();
    }
  }, 120_000);

  it("a run whose process is gone (killed; its stale lock still there) reads as interrupted, with the dates it committed", async () => {
    const path = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-running-gone-'));
    await runDemo(path, DEMO_NOW_SHORT);
    // What a kill -9 leaves: the history row still 'running' with lagging counters, and its lock row.
    const w = new Database(path);
    const run = w.prepare(`SELECT id FROM batch_run_history`).get() as { id: string };
    w.prepare(`UPDATE batch_run_history SET status = 'running', completed_at = NULL, completed_jobs = 0`).run();
    w.prepare(`INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at, cancel_requested) VALUES (1, 'run', ?, 'cli', 'h', 999999, '2025-07-03T00:00:00.000000Z', '2025-07-03T00:00:00.000000Z', 0)`).run(run.id);
    const committed = (w.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE run_id = ?`).get(run.id) as { n: number }).n;
    w.close();
    const db = openDatabase(path, { readonly: true });
    try {
      const live = runningReport(db, NEVER_STALE);
      expect(live.run).toMatchObject({ status: 'running', processGone: false });
      const gone = runningReport(db, () => true);
      expect(gone.lock).toMatchObject({ stale: true });
      expect(gone.run).toMatchObject({ id: run.id, status: 'interrupted', processGone: true, datesCompleted: committed });
      const history = historyReport(db, { days: 30, status: null, today: '2025-07-03' as IsoDate, nowIso: '2025-07-03T00:00:00.000000Z', isStale: () => true });
      expect(history.runs.map((r) => [r.status, r.processGone, r.datesCompleted])).toEqual([['interrupted', true, committed]]);
      expect(historyReport(db, { days: 30, status: 'interrupted', today: '2025-07-03' as IsoDate, nowIso: '2025-07-03T00:00:00.000000Z', isStale: () => true }).runs).toHaveLength(1);
    } finally {
      db.close();
    }
  }, 120_000);
});
