/**
 * Re-running marks and snapshots of a processed date without analytics (`run --phase
 * marks,snapshots`) after one of its closes changed leaves that date's analytics older than its
 * marks, and tracking records
 * them as stale (c.11, g.8). The post-run guard does not count that known, recorded state
 * against G1 (marks before analytics), so the gate stays open and `run --retry-failed-phases`
 * redoes the stale work; before, the guard closed the gate and refused that very retry.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../support/app/demo-fixture';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

const env = { BATCHDESK_NOW: SHORT_NOW };

function analyticsEntry(db: string, date: string, portfolioId: string): string | undefined {
  const c = new Database(db, { readonly: true });
  try {
    const ps = JSON.parse((c.prepare(`SELECT phase_status FROM batch_run_tracking WHERE run_date = ?`).get(date) as { phase_status: string }).phase_status);
    return ps.analytics?.portfolios?.[portfolioId]?.status;
  } finally {
    c.close();
  }
}

describe('run --phase marks,snapshots on a processed date', () => {
  it('leaves its analytics stale without closing the gate; --retry-failed-phases redoes them', async () => {
    const db = join(tempDir(), 'rerun.db');
    copyFileSync(seedDemoDb(SHORT_NOW), db);
    const first = await runCli(['run', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-03', '--quiet'], env);
    expect(first.code, first.stderr).toBe(0);

    const pid = DEMO_PORTFOLIOS.individual;
    const c = new Database(db);
    c.prepare(`UPDATE market_data_cache SET close = close * 1.10 WHERE date = '2025-07-01' AND symbol = (SELECT min(symbol) FROM positions WHERE portfolio_id = ? AND investment_class = 'PUBLIC')`).run(pid);
    c.close();
    const again = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--portfolio', pid, '--phase', 'marks,snapshots', '--summary-json', '--quiet'], env);
    // Partial (its analytics are stale), not a closed gate (4).
    expect(again.code, again.stderr).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'partial', guard: { status: 'pass' } });
    expect(analyticsEntry(db, '2025-07-01', pid)).toBe('stale');
    const guard = await runCli(['verify', 'guard', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-03'], env);
    expect(guard.code, guard.stdout + guard.stderr).toBe(0);

    const retry = await runCli(['run', '--db', db, '--retry-failed-phases', '--quiet'], env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(analyticsEntry(db, '2025-07-01', pid)).toBe('success');
  }, 120_000);
});
