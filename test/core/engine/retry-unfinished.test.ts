/**
 * `--retry-failed-phases` redoes a date a stopped run left unfinished (m.1, m.3): here the disk
 * filled up (SQLite's max_page_count) inside a date's transaction, which rolled the date's
 * portfolio work back and left its tracking row open; a killed run's date, closed as
 * `interrupted` by the lock takeover, is planned the same way (retry-reasons.test.ts). Retry
 * said "Nothing to retry" and left the date without its snapshots.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { runOptionsSchema } from '../../../core/api/run-options';
import { runBatch } from '../../../core/engine/run-engine';
import { createEngineStore } from '../../../db/engine-store';
import { openDatabase } from '../../../db/open-database';
import { engineHost } from '../../../host/engine-host';
import { systemClock, systemRandom } from '../../../host/system-ports';
import { hostname } from 'node:os';
import { exitedPid } from '../../support/child-processes';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

const NOW = '2025-07-31T23:00:00Z';

const read = (path: string) => new Database(path, { readonly: true });

/** A seeded demo whose offline backfill stopped on a full disk inside a date's transaction; that date. */
async function stoppedMidDate(): Promise<{ path: string; date: string; runId: string }> {
  const path = seedDemoDb(NOW);
  const db = openDatabase(path);
  db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 40}`);
  await expect(
    runBatch(
      { store: createEngineStore(db), clock: systemClock({ BATCHDESK_NOW: NOW }), random: systemRandom(), sinks: [], priceSources: [], profileSource: null, host: engineHost('cli', path) },
      runOptionsSchema.parse({ marketData: 'offline' }),
      { signal: new AbortController().signal },
    ),
  ).rejects.toMatchObject({ code: 'io' });
  db.close();
  const check = read(path);
  const open = check.prepare(`SELECT run_date, run_id FROM batch_run_tracking WHERE completed_at IS NULL`).all() as { run_date: string; run_id: string }[];
  check.close();
  expect(open).toHaveLength(1);
  return { path, date: open[0]!.run_date, runId: open[0]!.run_id };
}

describe('retry of an unfinished date', () => {
  it('after a full disk stopped a run mid-date, --retry-failed-phases completes that date', async () => {
    const { path, date: d } = await stoppedMidDate();
    const r = await runDemo(path, NOW, { retryFailedPhases: true });
    expect(r.kind).toBe('run');
    expect(r.exitCode).toBe(0);
    if (r.kind === 'run') expect(r.plan.dates.map((x) => x.date)).toContain(d);
    const check = read(path);
    const row = check.prepare(`SELECT status, completed_at FROM batch_run_tracking WHERE run_date = ?`).get(d) as { status: string; completed_at: string | null };
    const snapshots = (check.prepare(`SELECT count(*) AS n FROM portfolio_snapshots WHERE snapshot_date = ?`).get(d) as { n: number }).n;
    check.close();
    expect(row.status).toBe('success');
    expect(row.completed_at).not.toBeNull();
    expect(snapshots).toBe(5);
  }, 120_000);

  it('after a kill, the takeover closes the date as interrupted and the same retry completes it', async () => {
    const { path, date: d, runId } = await stoppedMidDate();
    // What a SIGKILL at that point leaves: the run reads 'running' and its lock names a process that is gone.
    const db = new Database(path);
    db.prepare(`UPDATE batch_run_history SET status = 'running', completed_at = NULL WHERE id = ?`).run(runId);
    db.prepare(`INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at) VALUES (1, 'run', ?, 'cli', ?, ?, ?, ?)`).run(runId, hostname(), exitedPid(), '2025-07-31T22:59:00.000000Z', '2025-07-31T22:59:00.000000Z');
    db.close();
    // A run of another date takes the dead run's lock over and closes the date as interrupted, its
    // error_message in h.4's shape: errors, and phase_status with the three legacy keys.
    const copy = copyDb(path);
    expect((await runDemo(copy, NOW, { targetDate: '2025-07-01' as IsoDate, phases: ['sector_tags'] })).exitCode).toBe(0);
    const closed = read(copy);
    const message = JSON.parse((closed.prepare(`SELECT error_message FROM batch_run_tracking WHERE run_date = ?`).get(d) as { error_message: string }).error_message);
    closed.close();
    expect(message).toMatchObject({ errors: ['interrupted: the run stopped before this date finished'], reason: 'interrupted' });
    expect(Object.keys(message.phase_status)).toEqual(['phase_1_5', 'phase_2_5', 'phase_2_75']);
    expect(message.phase_status.phase_1_5).toMatchObject({ status: expect.any(String) });
    const r = await runDemo(path, NOW, { retryFailedPhases: true });
    expect(r.exitCode).toBe(0);
    if (r.kind === 'run') expect(r.plan.dates.find((x) => x.date === d)?.portfolios.map((p) => p.reason.split(':').slice(0, 2).join(':'))).toEqual(Array(5).fill('retry:marks'));
    const check = read(path);
    expect(check.prepare(`SELECT status FROM batch_run_tracking WHERE run_date = ?`).get(d)).toEqual({ status: 'success' });
    expect(check.prepare(`SELECT status FROM batch_run_history WHERE id = ?`).get(runId)).toEqual({ status: 'interrupted' });
    check.close();
  }, 120_000);
});
