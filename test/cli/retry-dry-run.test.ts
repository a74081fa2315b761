/**
 * `run --retry-failed-phases --dry-run` (SPEC.md g.3, g.4, m.3): the plan's header names the
 * phases the retry runs, the cells to redo and what depends on them, not all six phases.
 *
 * Fixture: the demo backfilled over 2025-06-30 .. 2025-07-03, then a corrected AAPL close of
 * 2025-07-02 imported: the marks, snapshots and analytics of the AAPL holders on 07-02 and
 * 07-03 are stale; market_data, fundamentals and sector_tags are not.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };

describe('the dry-run plan of a retry', () => {
  const dir = tempDir('batchdesk-retry-plan-');
  let db = '';

  beforeAll(async () => {
    db = seedDemoDb(ENV.BATCHDESK_NOW, dir);
    const run = await runCli(['run', '--db', db, '--market-data', 'offline', '--no-guard', '--quiet'], ENV);
    expect(run.code, run.stderr).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    const { close } = sqlite.prepare(`SELECT close FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-02'`).get() as { close: number };
    sqlite.close();
    const csv = join(dir, 'aapl.csv');
    writeFileSync(csv, `symbol,date,close,volume\nAAPL,2025-07-02,${(close * 1.01).toFixed(4)},\n`);
    const imp = await runCli(['prices', 'import', csv, '--db', db], ENV);
    expect(imp.code, imp.stderr).toBe(0);
  }, 120_000);

  it('names the phases the retry runs, not every phase', async () => {
    const r = await runCli(['run', '--db', db, '--retry-failed-phases', '--dry-run'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dates: 2 in 1 chunk(s)   Phases: marks, snapshots, analytics (retry: only the failed, stale and guard-skipped cells and those that depend on them)\n');
    const cells = r.stdout.split('\n').filter((l) => /^2025-07-0[23] /.test(l));
    expect(cells.length).toBeGreaterThan(0);
    // g.3: the reason names the stale phase and the batch run id of the run that recorded it (the backfill).
    const sqlite = new Database(db, { readonly: true });
    const { batch_run_id: batch } = sqlite.prepare(`SELECT batch_run_id FROM batch_run_history`).get() as { batch_run_id: string };
    sqlite.close();
    expect(batch).toMatch(/^batch_\d{8}_\d{6}_[0-9a-f]{4}$/);
    for (const l of cells) expect(l).toMatch(new RegExp(`\\srun\\s+marks,snapshots,analytics\\s+retry:marks:${batch}$`));
  });

  it('a normal dry run still names the phases it runs', async () => {
    const r = await runCli(['run', '--db', db, '--dry-run', '--target-date', '2025-07-02'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dates: 1 in 1 chunk(s)   Phases: market_data, fundamentals, marks, snapshots, sector_tags, analytics\n');
  });
  it('warns once per date of the later snapshots a re-run makes stale, naming the portfolios', async () => {
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--dry-run', '--summary-json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    const portfolios = sqlite.prepare(`SELECT id, name FROM portfolios ORDER BY name, id`).all() as { id: string; name: string }[];
    sqlite.close();
    const warnings = (JSON.parse(r.stdout) as { warnings: string[] }).warnings.filter((w) => w.includes('later snapshots'));
    expect(warnings).toEqual([`re-running 2025-07-01 makes later snapshots of ${portfolios.map((p) => `${p.name} (${p.id.slice(0, 8)})`).join(', ')} stale if its marks or snapshot change, unless they are re-run too`]);
  });
});
