/**
 * A resume continues the stopped run as it was started (SPEC.md g.11): its plan and its price
 * source. Here the database's setting says `online` and the run was started with
 * `--market-data synthetic`; `run --resume` with no flag goes on with synthetic prices (it was
 * refused for mixing sources, as it would have run online), after a cancel as after a kill
 * (whose run reads 'running' until the resume takes its dead lock over). A flag given to the
 * resume still wins. A dry run of the resume plans it as the run would, the killed run's lock
 * left in place.
 */
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunOptionsInput } from '../../../core/api/run-options';
import type { IsoDate } from '../../../core/domain/iso-date';
import { putSettings } from '../../support/app/demo-fixture';
import { exitedPid } from '../../support/child-processes';
import { tableContents } from '../../support/db-content';
import { tempDir } from '../../support/cli';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

const NOW = '2025-07-31T23:00:00Z';
let seeded = '';

beforeAll(() => {
  seeded = seedDemoDb(NOW);
  putSettings(seeded, { 'market_data.mode': 'online' });
}, 60_000);

/** Runs `options` on `path` and stops it (cancel) after `dates` dates; returns the run id. */
async function stopAfter(path: string, options: RunOptionsInput, dates: number): Promise<string> {
  const controller = new AbortController();
  let done = 0;
  const r = await runDemo(path, NOW, options, { signal: controller.signal, sinks: [{ name: 'stop', handle: (e) => void (e.event === 'date_result' && ++done === dates && controller.abort()) }] });
  expect(r.exitCode).toBe(130);
  if (r.kind !== 'run') throw new Error('a run was expected');
  return r.summary.run_id;
}

/** A copy of the demo with a synthetic run stopped (cancelled) after 3 dates; returns its path and run id. */
async function stoppedSyntheticRun(): Promise<{ path: string; runId: string }> {
  const path = copyDb(seeded);
  const controller = new AbortController();
  let dates = 0;
  const r = await runDemo(
    path,
    NOW,
    { marketData: 'synthetic' },
    { signal: controller.signal, sinks: [{ name: 'stop-after-3', handle: (e) => void (e.event === 'date_result' && ++dates === 3 && controller.abort()) }] },
  );
  expect(r.exitCode).toBe(130);
  if (r.kind !== 'run') throw new Error('a run was expected');
  return { path, runId: r.summary.run_id };
}

/** The same, left as a SIGKILL leaves it: the run reads 'running' and its lock names a process that is gone. */
async function killedSyntheticRun(): Promise<{ path: string; runId: string }> {
  const stopped = await stoppedSyntheticRun();
  const db = new Database(stopped.path);
  db.prepare(`UPDATE batch_run_history SET status = 'running', completed_at = NULL WHERE id = ?`).run(stopped.runId);
  db.prepare(`INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at) VALUES (1, 'run', ?, 'cli', ?, ?, ?, ?)`).run(
    stopped.runId,
    hostname(),
    exitedPid(),
    '2025-07-31T22:59:00.000000Z',
    '2025-07-31T22:59:00.000000Z',
  );
  db.close();
  return stopped;
}

interface HistoryRow {
  id: string;
  status: string;
  mode: string;
  options: string;
}

function history(path: string): HistoryRow[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT id, status, mode, options FROM batch_run_history ORDER BY started_at`).all() as HistoryRow[];
  } finally {
    db.close();
  }
}

function snapshotDates(path: string): IsoDate[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT DISTINCT snapshot_date AS d FROM portfolio_snapshots ORDER BY 1`).all() as { d: IsoDate }[]).map((r) => r.d);
  } finally {
    db.close();
  }
}

describe('run --resume', () => {
  it('goes on with the stopped run’s price source after a cancel', async () => {
    const { path, runId } = await stoppedSyntheticRun();
    const r = await runDemo(path, NOW, { resume: 'latest' });
    expect(r.kind).toBe('run');
    expect(r.exitCode).toBe(0);
    const [first, resume] = history(path);
    expect(first).toMatchObject({ id: runId, status: 'cancelled' });
    expect(resume).toMatchObject({ status: 'completed', mode: 'resume' });
    expect(JSON.parse(resume!.options)).toMatchObject({ marketData: 'synthetic', resume: 'latest', resumed_run_id: runId });
    expect(snapshotDates(path).at(-1)).toBe('2025-07-31');
  }, 120_000);

  it('and after a kill, taking over the dead run’s lock first', async () => {
    const { path, runId } = await killedSyntheticRun();
    const r = await runDemo(path, NOW, { resume: 'latest' });
    expect(r.exitCode).toBe(0);
    const [first, resume] = history(path);
    expect(first).toMatchObject({ id: runId, status: 'interrupted' });
    expect(JSON.parse(resume!.options)).toMatchObject({ marketData: 'synthetic', resumed_run_id: runId });
  }, 120_000);

  it.each([['latest'], ['the killed run’s id']])('--dry-run with --resume %s plans the killed run’s resume as a run would, and changes nothing', async (which) => {
    const { path, runId } = await killedSyntheticRun();
    const before = tableContents(path);
    const r = await runDemo(path, NOW, { resume: which === 'latest' ? 'latest' : runId, dryRun: true });
    if (r.kind !== 'plan') throw new Error(`a plan was expected, got ${r.kind}`);
    expect(r.plan).toMatchObject({ mode: 'resume', resumedRunId: runId });
    // The three dates the run finished are not planned again; the month's others are.
    const done = snapshotDates(path);
    expect(done).toHaveLength(3);
    const planned = r.plan.dates.map((d) => d.date);
    expect(planned.filter((d) => done.includes(d))).toEqual([]);
    expect(planned.at(-1)).toBe('2025-07-31');
    expect(r.plan.warnings.join('\n')).not.toMatch(/mix/i);
    expect(tableContents(path)).toEqual(before);
  }, 120_000);

  it('records the chunk size of the plan it continues, over a resume of a resume too', async () => {
    const path = copyDb(seeded);
    await stopAfter(path, { marketData: 'synthetic', chunkDays: 7 }, 2);
    await stopAfter(path, { resume: 'latest' }, 2);
    const r = await runDemo(path, NOW, { resume: 'latest' });
    expect(r.exitCode).toBe(0);
    if (r.kind !== 'run') throw new Error('a run was expected');
    expect(r.summary.chunks.length).toBeGreaterThan(1);
    expect(history(path).map((h) => (JSON.parse(h.options) as RunOptionsInput).chunkDays)).toEqual([7, 7, 7]);
  }, 120_000);

  it('a resume of a resume goes on with the overrides the stopped resume ran with', async () => {
    const path = copyDb(seeded);
    await stopAfter(path, { marketData: 'synthetic', impliedVol: 0.4, maxMissingMarks: 0.5 }, 2);
    await stopAfter(path, { resume: 'latest', impliedVol: 0.5, maxMissingMarks: 0.9 }, 2);
    expect((await runDemo(path, NOW, { resume: 'latest' })).exitCode).toBe(0);
    const options = history(path).map((h) => JSON.parse(h.options) as RunOptionsInput);
    expect(options.map((o) => [o.marketData, o.impliedVol, o.maxMissingMarks])).toEqual([
      ['synthetic', 0.4, 0.5],
      ['synthetic', 0.5, 0.9],
      ['synthetic', 0.5, 0.9],
    ]);
  }, 120_000);

  it('with a price source of its own, leaves the stopped run’s CSV folder behind', async () => {
    const path = copyDb(seeded);
    const folder = tempDir();
    await stopAfter(path, { marketData: 'offline', csvDir: folder }, 2);
    const r = await runDemo(path, NOW, { resume: 'latest', marketData: 'synthetic' });
    expect(r.exitCode).toBe(0);
    const resumed = JSON.parse(history(path)[1]!.options) as RunOptionsInput;
    expect(resumed).toMatchObject({ marketData: 'synthetic' });
    expect(resumed.csvDir).toBeUndefined();
  }, 120_000);

  it('--dry-run while another run holds the lock plans with the stopped run’s source, not the holder’s', async () => {
    const { path, runId } = await stoppedSyntheticRun();
    // A live run started since, offline: its history row and its lock, held by a live process (this one) with a fresh heartbeat.
    const db = new Database(path);
    db.prepare(
      `INSERT INTO batch_run_history (id, batch_run_id, triggered_by, started_at, status, mode, options, created_at, heartbeat_at, host, pid)
       VALUES ('live-run', 'batch_live', 'cli', '2025-07-31T23:10:00.000000Z', 'running', 'normal', ?, '2025-07-31T23:10:00.000000Z', '2025-07-31T23:10:00.000000Z', ?, ?)`,
    ).run(JSON.stringify({ marketData: 'offline' }), hostname(), process.pid);
    db.prepare(`INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at) VALUES (1, 'run', 'live-run', 'cli', ?, ?, ?, ?)`).run(
      hostname(),
      process.pid,
      '2025-07-31T23:10:00.000000Z',
      '2025-07-31T23:10:00.000000Z',
    );
    db.close();
    const r = await runDemo(path, NOW, { resume: 'latest', dryRun: true });
    if (r.kind !== 'plan') throw new Error(`a plan was expected, got ${r.kind}`);
    expect(r.plan.resumedRunId).toBe(runId);
    expect(r.plan.fetches?.[0]?.sources).toEqual(['synthetic']);
    expect(r.plan.warnings.join('\n')).toMatch(/a run now would be refused: .*live-run|batch_live/);
  }, 120_000);

  it('takes a price source given to it over the stopped run’s', async () => {
    const { path } = await stoppedSyntheticRun();
    const r = await runDemo(path, NOW, { resume: 'latest', marketData: 'offline' });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(history(path)[1]!.options)).toMatchObject({ marketData: 'offline' });
  }, 120_000);
});
