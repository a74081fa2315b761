/**
 * The run clock catches up with the runs already recorded (caughtUpClock in engine-host.ts):
 * a pinned clock (BATCHDESK_NOW) starts again at its instant in every process, so a second run
 * would stamp its rows before the first run's, and the guard's G1 (marks computed before
 * analytics, i.4), which compares those timestamps, failed after re-running analytics alone.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { timestampToEpochMs } from '../../core/domain/timestamp';
import { caughtUpClock } from '../../host/engine-host';
import { systemClock } from '../../host/system-ports';
import { DEMO_NOW_SHORT, tempDir } from '../support/cli';
import { copyDb, runDemo, seedDemoDb } from '../support/demo-db';

const fixed = (ms: number) => ({ now: () => ms });

describe('the run clock', () => {
  it('re-running analytics alone under the same pinned clock passes the guard', async () => {
    const path = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-clock-'));
    const first = await runDemo(path, DEMO_NOW_SHORT, { guard: true });
    expect(first.exitCode).toBe(0);
    const again = await runDemo(path, DEMO_NOW_SHORT, { guard: true, phases: ['analytics'], startDate: '2025-09-02' });
    expect(again.kind).toBe('run');
    expect(again.kind === 'run' && again.summary.guard).toMatchObject({ status: 'pass' });
    expect(again.exitCode).toBe(0);
    // The second run started after the first had ended.
    const db = new Database(path, { readonly: true });
    const runs = db.prepare(`SELECT started_at, completed_at FROM batch_run_history ORDER BY started_at`).all() as { started_at: string; completed_at: string }[];
    db.close();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.started_at > runs[0]!.completed_at).toBe(true);
  }, 120_000);

  it('moves only a clock that is behind the latest recorded run, by at most an hour', async () => {
    const path = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-clock-unit-'));
    const db = new Database(copyDb(path, tempDir()));
    // No run recorded: any clock is left alone.
    expect(caughtUpClock(db, fixed(1000)).now()).toBe(1000);
    db.prepare(`INSERT INTO batch_run_history (id, batch_run_id, started_at, completed_at, status, created_at) VALUES ('r1', 'b1', '2025-09-30T23:00:00.000000Z', '2025-09-30T23:00:05.250000Z', 'completed', '2025-09-30T23:00:00.000000Z')`).run();
    const ended = timestampToEpochMs('2025-09-30T23:00:05.250000Z');
    const pinned = systemClock({ BATCHDESK_NOW: DEMO_NOW_SHORT });
    const caught = caughtUpClock(db, pinned);
    expect(caught.now()).toBeGreaterThan(ended);
    expect(caught.now() - pinned.now()).toBeGreaterThan(5000);
    // A clock already past the run, or more than an hour behind it, keeps its time.
    expect(caughtUpClock(db, fixed(ended + 10)).now()).toBe(ended + 10);
    expect(caughtUpClock(db, fixed(ended - 2 * 60 * 60 * 1000)).now()).toBe(ended - 2 * 60 * 60 * 1000);
    db.close();
  });
});
