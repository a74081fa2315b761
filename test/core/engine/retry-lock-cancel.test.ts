/**
 * Run control (issue 3 acceptance, SPEC.md g.2-g.11, m.3, m.4, m.16): --retry-failed-phases
 * re-runs only the failed cells and their dependents; a second run is refused while another
 * process holds the lock and a dead holder's lock is taken over; a cancelled run stops at a
 * portfolio-date boundary with exit 130 and --resume completes it.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, REPO_ROOT } from '../../support/cli';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

const NOW = '2025-07-31T23:00:00Z';
const HF = 'fcd71196-e93e-f000-5a74-31a9eead3118';
const IND = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';

function computedAt(path: string): Map<string, string> {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare(`SELECT portfolio_id, snapshot_date, computed_at FROM portfolio_snapshots`).all() as { portfolio_id: string; snapshot_date: string; computed_at: string }[];
  db.close();
  return new Map(rows.map((r) => [`${r.portfolio_id}|${r.snapshot_date}`, r.computed_at]));
}

function marksComputedAt(path: string): Map<string, string> {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare(`SELECT position_id, mark_date, computed_at FROM position_marks`).all() as { position_id: string; mark_date: string; computed_at: string }[];
  db.close();
  return new Map(rows.map((r) => [`${r.position_id}|${r.mark_date}`, r.computed_at]));
}

describe('retry of failed phases', () => {
  it('re-runs exactly the failed cells and the cells that depend on them', async () => {
    const path = seedDemoDb(NOW);
    const first = await runDemo(path, NOW, {}, {
      hooks: {
        beforePhase: (phase, date, pid) => {
          if (phase === 'marks' && date === '2025-07-22' && pid === HF) throw new Error('injected marks failure');
          if (phase === 'sector_tags' && date === '2025-07-10' && pid === IND) throw new Error('injected sector_tags failure');
        },
      },
    });
    expect(first.kind).toBe('run');
    expect(first.exitCode).toBe(1);
    const db = new Database(path, { readonly: true });
    const statuses = db.prepare(`SELECT run_date, status FROM batch_run_tracking WHERE status != 'success' ORDER BY run_date`).all() as { run_date: string; status: string }[];
    db.close();
    expect(statuses[0]).toEqual({ run_date: '2025-07-10', status: 'partial' });
    expect(statuses.filter((s) => s.status === 'failed').map((s) => s.run_date)[0]).toBe('2025-07-22');
    const snapsBefore = computedAt(path);
    const marksBefore = marksComputedAt(path);
    expect([...snapsBefore.keys()].filter((k) => k.startsWith(HF) && k.split('|')[1]! >= '2025-07-22')).toEqual([]);

    const retry = await runDemo(path, '2025-07-31T23:30:00Z', { retryFailedPhases: true });
    expect(retry.kind).toBe('run');
    expect(retry.exitCode).toBe(0);
    const snapsAfter = computedAt(path);
    const marksAfter = marksComputedAt(path);
    // Every snapshot that existed is untouched; the hedge fund's missing dates now exist.
    for (const [k, v] of snapsBefore) expect(snapsAfter.get(k), k).toBe(v);
    const added = [...snapsAfter.keys()].filter((k) => !snapsBefore.has(k));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((k) => k.startsWith(HF) && k.split('|')[1]! >= '2025-07-22')).toBe(true);
    for (const [k, v] of marksBefore) expect(marksAfter.get(k), k).toBe(v);
    const db2 = new Database(path, { readonly: true });
    expect((db2.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE status != 'success'`).get() as { n: number }).n).toBe(0);
    const ps = JSON.parse((db2.prepare(`SELECT phase_status FROM batch_run_tracking WHERE run_date = '2025-07-10'`).get() as { phase_status: string }).phase_status);
    expect(ps.sector_tags.portfolios[IND].status).toBe('success');
    const historyRows = (db2.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n;
    db2.close();

    // Nothing left to retry: said so, exit 0, and no run is recorded.
    const again = await runDemo(path, '2025-07-31T23:30:00Z', { retryFailedPhases: true });
    expect(again.kind).toBe('up_to_date');
    expect(again.exitCode).toBe(0);
    if (again.kind === 'up_to_date') expect(again.message).toMatch(/^Nothing to retry as of 2025-07-31/);
    const db3 = new Database(path, { readonly: true });
    expect((db3.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n).toBe(historyRows);
    db3.close();
  }, 300_000);
});

describe('the run lock', () => {
  it('refuses a second run with exit 3 naming the holder, and takes over a dead holder at once', async () => {
    const path = seedDemoDb(NOW);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/hold-lock.ts'), path], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
    expect(line).toMatch(/^locked \d+/);
    const refused = await runCli(['run', '--db', path], { BATCHDESK_NOW: NOW });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(new RegExp(`locked by another run \\(cli pid ${child.pid} on`));
    const db = new Database(path, { readonly: true });
    expect((db.prepare(`SELECT count(*) AS n FROM portfolio_snapshots`).get() as { n: number }).n).toBe(0);
    db.close();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const ok = await runCli(['run', '--db', path, '--quiet'], { BATCHDESK_NOW: NOW });
    expect(ok.code, ok.stderr).toBe(0);
    const db2 = new Database(path, { readonly: true });
    expect((db2.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n).toBe(0);
    db2.close();
  }, 300_000);
});

describe('cancel and resume', () => {
  it('stops after the current portfolio-date with exit 130, and --resume finishes the same content', async () => {
    const seeded = seedDemoDb(NOW);
    const reference = copyDb(seeded);
    const path = copyDb(seeded);
    await runDemo(reference, NOW);
    const controller = new AbortController();
    let dates = 0;
    const r = await runDemo(path, NOW, {}, {
      signal: controller.signal,
      sinks: [{ name: 'cancel-after-5', handle: (e) => { if (e.event === 'date_result' && ++dates === 5) controller.abort(); } }],
    });
    expect(r.kind).toBe('run');
    expect(r.exitCode).toBe(130);
    // The dates never reached are counted as skipped and listed (h.5): what the resume runs.
    if (r.kind !== 'run') throw new Error('a run was expected');
    const d = r.summary.dates;
    expect(d).toMatchObject({ processed: 5, success: 5, skipped: d.planned - 5 });
    expect(d.not_run_dates).toEqual(r.plan.dates.slice(5).map((pd) => pd.date));
    // g.10: the planned work the cancel left is reported as cancelled.
    expect(d.not_run_reason).toBe('cancelled');
    const db = new Database(path, { readonly: true });
    const hist = db.prepare(`SELECT status FROM batch_run_history`).get() as { status: string };
    expect(hist.status).toBe('cancelled');
    expect((db.prepare(`SELECT count(DISTINCT snapshot_date) AS n FROM portfolio_snapshots`).get() as { n: number }).n).toBe(5);
    db.close();
    // A resume a week later runs the cancelled run's plan: its dates, not the ones the automatic
    // range has gained since (g.2, g.11: they went up to the later clock's settled date).
    const later = await runDemo(copyDb(path), '2025-08-08T23:00:00Z', { resume: 'latest', dryRun: true });
    if (later.kind !== 'plan') throw new Error('a plan was expected');
    expect(later.plan.dates.map((pd) => pd.date)).toEqual(r.plan.dates.slice(5).map((pd) => pd.date));
    expect(later.plan.targetDate).toBe(r.plan.targetDate);
    expect(later.plan.targetDerivation).toBe(`the target date of the run resumed, ${r.summary.batch_run_id}, as of its start`);
    const resumed = await runDemo(path, NOW, { resume: 'latest' });
    expect(resumed.kind).toBe('run');
    expect(resumed.exitCode).toBe(0);
    const snap = (p: string) => {
      const d = new Database(p, { readonly: true });
      const rows = d.prepare(`SELECT portfolio_id, snapshot_date, total_value, cash_value, daily_pnl, cumulative_pnl FROM portfolio_snapshots ORDER BY 1, 2`).all();
      d.close();
      return rows;
    };
    expect(snap(path)).toEqual(snap(reference));
  }, 300_000);

  it('a date cancelled part-way is not run: counted as skipped and listed for the resume', async () => {
    const path = copyDb(seedDemoDb(NOW));
    const controller = new AbortController();
    const r = await runDemo(path, NOW, {}, {
      signal: controller.signal,
      // Cancel inside the first date, once its first portfolio has its marks: the date stops
      // after that portfolio-date, its other portfolios cancelled.
      sinks: [{ name: 'cancel-in-date', handle: (e) => { if (e.event === 'phase_result' && e.payload.phase === 'marks') controller.abort(); } }],
    });
    if (r.kind !== 'run') throw new Error('a run was expected');
    const d = r.summary.dates;
    const results = r.summary.results as { date: string; status: string }[];
    const cancelledDates = results.filter((x) => x.status === 'cancelled').map((x) => x.date);
    expect(cancelledDates).toHaveLength(1);
    expect(d.not_run_dates[0]).toBe(cancelledDates[0]);
    expect(d.skipped).toBe(d.planned - d.success - d.partial - d.failed);
    expect(d.not_run_dates).toEqual(r.plan.dates.map((pd) => pd.date).filter((x) => !results.some((res) => res.date === x && res.status !== 'cancelled')));

    // The date's tracking row is finished (g.6), not left running: partial, the portfolios the
    // cancel left unrun recorded skipped (cancelled) in every planned phase.
    const date = cancelledDates[0]!;
    const planned = r.plan.dates.find((pd) => pd.date === date)!.portfolios.map((p) => p.portfolioId);
    const tracking = () => {
      const db = new Database(path, { readonly: true });
      const row = db.prepare(`SELECT status, completed_at, phase_status FROM batch_run_tracking WHERE run_date = ?`).get(date) as { status: string; completed_at: string | null; phase_status: string };
      const snapshots = (db.prepare(`SELECT count(*) AS n FROM portfolio_snapshots WHERE snapshot_date = ?`).get(date) as { n: number }).n;
      db.close();
      return { ...row, snapshots, phases: JSON.parse(row.phase_status) as Record<string, { status: string; portfolios?: Record<string, { status: string; reason: string | null }> }> };
    };
    const after = tracking();
    expect(after).toMatchObject({ status: 'partial', snapshots: 1 });
    expect(after.completed_at).not.toBeNull();
    for (const phase of ['marks', 'snapshots', 'sector_tags', 'analytics']) {
      const entries = Object.entries(after.phases[phase]!.portfolios!);
      expect(after.phases[phase]!.status).toBe('partial');
      expect(entries.filter(([, e]) => e.status === 'success').map(([id]) => id)).toEqual([planned[0]]);
      expect(Object.fromEntries(entries.filter(([id]) => id !== planned[0]))).toEqual(Object.fromEntries(planned.slice(1).map((id) => [id, expect.objectContaining({ status: 'skipped', reason: 'cancelled' })])));
    }
    // A resume (on a copy) starts with the portfolios the cancel left unrun on that date.
    const resumed = await runDemo(copyDb(path), NOW, { resume: 'latest', dryRun: true });
    if (resumed.kind !== 'plan' && resumed.kind !== 'run') throw new Error(`a plan was expected, got ${resumed.kind}`);
    expect(resumed.plan.dates[0]).toMatchObject({ date, portfolios: planned.slice(1).map((portfolioId) => expect.objectContaining({ portfolioId })) });
    // The retry redoes exactly the portfolios the cancel left unrun.
    const retry = await runDemo(path, NOW, { retryFailedPhases: true, targetDate: date });
    if (retry.kind !== 'run') throw new Error('a run was expected');
    expect(retry.plan.dates.map((pd) => [pd.date, pd.portfolios.map((p) => p.portfolioId)])).toEqual([[date, planned.slice(1)]]);
    expect(tracking()).toMatchObject({ status: 'success', snapshots: planned.length });
  }, 300_000);

  // A cancel that arrives once a date's market_data is done and before any of its portfolios
  // ran (a tester's cancel from the app): the date is not run (g.10). It keeps the row it had,
  // not claimed by the cancelled run, and a resume redoes it.
  const cancelAfterMarketDataOf = (date: string, controller: AbortController) => ({
    name: 'cancel-after-market-data',
    handle: (e: { event: string; payload: Record<string, unknown> }) => {
      if (e.event === 'phase_result' && e.payload['phase'] === 'market_data' && e.payload['date'] === date) controller.abort();
    },
  });
  const trackingRow = (path: string, date: string) => {
    const db = new Database(path, { readonly: true });
    const row = db.prepare(`SELECT * FROM batch_run_tracking WHERE run_date = ?`).get(date) as Record<string, unknown> | undefined;
    db.close();
    return row ?? null;
  };

  it('a date reached by a cancel before any of its portfolios ran keeps its earlier row, and the resume redoes it', async () => {
    const path = copyDb(seedDemoDb(NOW));
    await runDemo(path, NOW, { startDate: '2025-06-30', endDate: '2025-07-10' });
    const before = trackingRow(path, '2025-07-03');
    expect(before).toMatchObject({ status: 'success' });
    const controller = new AbortController();
    const r = await runDemo(path, NOW, { startDate: '2025-07-01', endDate: '2025-07-10' }, { signal: controller.signal, sinks: [cancelAfterMarketDataOf('2025-07-03', controller)] });
    if (r.kind !== 'run') throw new Error('a run was expected');
    expect(r.exitCode).toBe(130);
    expect(r.summary.dates).toMatchObject({ processed: 3, success: 2 });
    expect(r.summary.dates.not_run_dates[0]).toBe('2025-07-03');
    expect(trackingRow(path, '2025-07-03')).toEqual(before);
    const resumed = await runDemo(path, NOW, { resume: 'latest' });
    if (resumed.kind !== 'run') throw new Error('a run was expected');
    expect(resumed.plan.dates[0]!.date).toBe('2025-07-03');
    expect(trackingRow(path, '2025-07-03')).toMatchObject({ status: 'success', run_id: resumed.summary.run_id });
  }, 300_000);

  it('a date never run before that a cancel reaches before any of its portfolios ran has no tracking row', async () => {
    const path = copyDb(seedDemoDb(NOW));
    const controller = new AbortController();
    const r = await runDemo(path, NOW, { startDate: '2025-06-30', endDate: '2025-07-10' }, { signal: controller.signal, sinks: [cancelAfterMarketDataOf('2025-07-02', controller)] });
    if (r.kind !== 'run') throw new Error('a run was expected');
    expect(r.exitCode).toBe(130);
    expect(trackingRow(path, '2025-07-02')).toBeNull();
    expect(trackingRow(path, '2025-06-30')).toMatchObject({ status: 'success' });
  }, 300_000);
});
