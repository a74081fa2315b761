/**
 * g.8 for a dump merge: `import --merge --on-conflict replace` that replaces closes (or marks, or
 * snapshots) of processed dates makes what read them stale, as a `prices import` of the same
 * closes does, inside the merge's transaction; `run --retry-failed-phases` then recomputes them.
 * Before, the demo's marks kept reading the replaced closes' old values and the retry found
 * nothing to do. A merge that skips existing rows replaces nothing and marks nothing.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { COMMITTED } from '../support/pg-fixtures';
import { backfilledDemo, copyTo, ENV, execOn } from '../support/safeguards';

const REF = join(COMMITTED, 'reference.dump');
let template = '';
beforeAll(async () => {
  template = await backfilledDemo();
}, 240_000);

describe('a dump merge into processed dates', () => {
  it('--on-conflict replace: the dates that read a replaced close are stale, and a retry recomputes them', async () => {
    const db = copyTo(template);
    const r = await runCli(['import', REF, '--db', db, '--merge', '--on-conflict', 'replace', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout).report;
    expect(report.tables.find((t: { table: string }) => t.table === 'market_data_cache').changes['replaced_existing']).toBeGreaterThan(0);
    expect(report.postSteps.stale).toMatchObject({ first: '2025-06-30' });
    expect(report.postSteps.stale.dates).toBeGreaterThan(0);
    execOn(db, (d) => {
      const statuses = (d.prepare(`SELECT DISTINCT status FROM batch_run_tracking`).all() as { status: string }[]).map((x) => x.status);
      expect(statuses).toContain('stale');
      // The legacy columns follow the phase_status aggregates (h.4: stale, like partial, is written as failed).
      const rows = d.prepare(`SELECT run_date, phase_2_status, phase_3_status, json_extract(phase_status, '$.snapshots.status') AS s, json_extract(phase_status, '$.analytics.status') AS a FROM batch_run_tracking`).all() as Record<string, string>[];
      const legacy = (x: string) => (x === 'stale' || x === 'partial' ? 'failed' : x);
      for (const r of rows) expect([r['phase_2_status'], r['phase_3_status']], r['run_date']).toEqual([legacy(r['s']!), legacy(r['a']!)]);
      expect(rows.some((r) => r['a'] === 'stale')).toBe(true);
    });
    const text = await runCli(['import', REF, '--db', copyTo(template), '--merge', '--on-conflict', 'replace'], ENV);
    expect(text.stdout).toMatch(/ {2}stale: \d+ processed date\(s\) from 2025-06-30 to \S+ read a replaced close, mark, snapshot, profile, scenario or factor; `batchdesk run --retry-failed-phases` recomputes them/);

    const plan = await runCli(['run', '--db', db, '--retry-failed-phases', '--dry-run', '--summary-json'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).dates[0].date).toBe('2025-06-30');
    // The retry gives what recomputing every portfolio over the whole range gives: the merge also
    // replaced stress scenarios (one now inactive, one with other shocks) and AAPL's profile beta.
    const recomputed = copyTo(db);
    const retry = await runCli(['run', '--db', db, '--retry-failed-phases', '--quiet'], ENV);
    expect([0, 1]).toContain(retry.code);
    execOn(db, (d) => {
      expect(d.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE status = 'stale'`).get()).toEqual({ n: 0 });
    });
    // The demo's portfolios (the merged ones have no tracked date for a retry to redo).
    const demo = execOn(template, (d) => (d.prepare(`SELECT id FROM portfolios`).all() as { id: string }[]).flatMap((p) => ['--portfolio', p.id]));
    const full = await runCli(['run', '--db', recomputed, '--start-date', '2025-06-30', '--phase', 'marks,snapshots,sector_tags,analytics', ...demo, '--quiet'], ENV);
    expect(full.code, full.stderr).toBe(0);
    const dir = tempDir();
    for (const [name, path] of [['retried', db], ['recomputed', recomputed]] as const) {
      const b = await runCli(['history', 'export-baseline', '--db', path, '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--out', join(dir, `${name}.json`), '--quiet'], ENV);
      expect(b.code, b.stderr).toBe(0);
    }
    const cmp = await runCli(['history', 'compare', join(dir, 'recomputed.json'), join(dir, 'retried.json')], ENV);
    expect(cmp.stdout).toContain('No differences.');
  });

  it('the default merge (skip existing rows) replaces nothing and marks nothing stale', async () => {
    const db = copyTo(template);
    const r = await runCli(['import', REF, '--db', db, '--merge', '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).report.postSteps.stale).toEqual({ dates: 0, first: null, last: null });
    execOn(db, (d) => expect(d.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE status = 'stale'`).get()).toEqual({ n: 0 }));
  });
});
