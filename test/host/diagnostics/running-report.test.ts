/**
 * `history --running` (runningReport, SPEC.md i.5): for a run in flight, the dates done come
 * from its committed tracking rows, so they are current between heartbeats (the history row's
 * counters move only every lock.heartbeat_interval_ms). Read from a second connection in the
 * middle of a real demo backfill, as another terminal would.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/open-database';
import { runningReport, type RunningReport } from '../../../host/diagnostics/history-report';
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
});
