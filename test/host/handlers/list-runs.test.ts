/**
 * `listRuns` (batch_run_history) through the contract dispatcher: the latest runs first, or
 * only the runs named by `ids` (the Live screen reads the run a resume continues so); a
 * finished run's partial dates from its summary (History shows them apart from the ok ones).
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import { testHostContext } from '../../support/app/host-context';
import { seedDemoDb } from '../../support/demo-db';
import { SAFE_NOW } from '../../support/safeguards';

let db = '';
beforeAll(() => {
  db = seedDemoDb(SAFE_NOW);
  const w = new Database(db);
  const insert = w.prepare(`INSERT INTO batch_run_history (id, batch_run_id, started_at, created_at, status, mode, options) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  insert.run('r1', 'batch_1', '2025-07-01T23:00:00.000000Z', '2025-07-01T23:00:00.000000Z', 'cancelled', 'normal', '{}');
  insert.run('r2', 'batch_2', '2025-07-02T23:00:00.000000Z', '2025-07-02T23:00:00.000000Z', 'completed', 'resume', JSON.stringify({ resume: 'latest', resumed_run_id: 'r1' }));
  insert.run('r3', 'batch_3', '2025-07-03T23:00:00.000000Z', '2025-07-03T23:00:00.000000Z', 'completed', 'normal', '{}');
  w.prepare(`UPDATE batch_run_history SET completed_jobs = 9, failed_jobs = 0, total_jobs = 9, summary = ? WHERE id = 'r3'`).run(JSON.stringify({ dates: { planned: 9, success: 5, partial: 4, failed: 0 } }));
  w.close();
}, 120_000);

async function listRuns(input: unknown): Promise<string[]> {
  const r = await dispatch('listRuns', input, testHostContext(db, SAFE_NOW, { reader: false }));
  if (!r.ok) throw new Error(r.error.message);
  return (r.output as { runs: { batchRunId: string }[] }).runs.map((x) => x.batchRunId);
}

describe('listRuns', () => {
  it('lists the latest runs first, or only the runs named by ids', async () => {
    expect(await listRuns({})).toEqual(['batch_3', 'batch_2', 'batch_1']);
    expect(await listRuns({ limit: 2 })).toEqual(['batch_3', 'batch_2']);
    expect(await listRuns({ ids: ['r1'] })).toEqual(['batch_1']);
    expect(await listRuns({ ids: ['r3', 'r1', 'nope'] })).toEqual(['batch_3', 'batch_1']);
    expect(await listRuns({ ids: ['nope'] })).toEqual([]);
  });

  it("gives a finished run's partial dates from its summary, and null without one", async () => {
    const r = await dispatch('listRuns', {}, testHostContext(db, SAFE_NOW, { reader: false }));
    if (!r.ok) throw new Error(r.error.message);
    const runs = (r.output as { runs: { batchRunId: string; completedJobs: number | null; partialDates: number | null }[] }).runs;
    expect(runs.map((x) => [x.batchRunId, x.completedJobs, x.partialDates])).toEqual([
      ['batch_3', 9, 4],
      ['batch_2', null, null],
      ['batch_1', null, null],
    ]);
  });
});
