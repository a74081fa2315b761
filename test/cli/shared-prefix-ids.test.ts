/**
 * Portfolio ids that share their first 8 characters (the committed reference dump's Growth and
 * Retirement, a1000000-...-0001 and -0002) are told apart wherever the CLI shortens ids: the
 * dry-run plan table, a portfolio-date's errors, the monitor report, the history reasons and
 * `history compare` (core/domain/short-ids.ts shows them whole, as only their last group differs).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSummarySchema, type DateResult } from '../../core/engine/run-summary';
import { baselineOf } from '../support/baseline-document';
import { runCli, tempDir } from '../support/cli';
import { COMMITTED } from '../support/pg-fixtures';
import { execOn } from '../support/safeguards';

const ENV = { BATCHDESK_NOW: '2025-07-25T23:00:00Z' };
const GROWTH = 'a1000000-0000-4000-8000-000000000001';
const RETIREMENT = 'a1000000-0000-4000-8000-000000000002';

const dir = tempDir();
const imported = join(dir, 'imported.db');
const copyOf = (name: string) => {
  const db = join(dir, name);
  copyFileSync(imported, db);
  return db;
};

beforeAll(async () => {
  const r = await runCli(['import', join(COMMITTED, 'reference.dump'), '--db', imported, '--quiet'], ENV);
  expect(r.code, r.stderr).toBe(0);
});

describe('ids sharing their first 8 characters', () => {
  it('are told apart in the dry-run plan table', async () => {
    const r = await runCli(['run', '--db', copyOf('plan.db'), '--dry-run', '--start-date', '2025-07-02', '--end-date', '2025-07-02'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('2025-07-02  '))).toEqual([
      expect.stringMatching(new RegExp(`^2025-07-02  ${GROWTH}  run `)),
      expect.stringMatching(new RegExp(`^2025-07-02  ${RETIREMENT}  run `)),
    ]);
  });

  it("are told apart in a portfolio-date's errors", async () => {
    const r = await runCli(['run', '--db', copyOf('errors.db'), '--start-date', '2025-07-03', '--end-date', '2025-07-03', '--market-data', 'synthetic', '--summary-json'], ENV);
    expect(r.code, r.stderr).toBe(1);
    const errors = (runSummarySchema.parse(JSON.parse(r.stdout)).results as DateResult[])[0]!.errors;
    expect(errors.filter((e) => e.startsWith('snapshots[')).map((e) => e.slice(0, e.indexOf(':')))).toEqual([`snapshots[${GROWTH}]`, `snapshots[${RETIREMENT}]`]);
  });

  it('are told apart in the monitor report', async () => {
    const r = await runCli(['run', '--db', copyOf('monitor.db'), '--start-date', '2025-07-01', '--end-date', '2025-07-01', '--market-data', 'synthetic', '--monitor-only'], ENV);
    const who = new Set(r.stderr.split('\n').flatMap((l) => /^ {2}2025-07-01 {2}(\S+) {2}portfolio_snapshots /.exec(l)?.slice(1) ?? []));
    expect(who, r.stderr).toEqual(new Set([GROWTH, RETIREMENT]));
  });

  it("are told apart in the history's reasons for jobs that fell short", async () => {
    const db = copyOf('history.db');
    const short = { analytics: { jobs_expected: 2, jobs_completed: 1, jobs: { betas: { success: false, reason: 'insufficient_history' } } } };
    execOn(db, (d) => d.prepare(`UPDATE batch_run_tracking SET metadata = ? WHERE run_date = '2025-07-01'`).run(JSON.stringify({ portfolios: { [GROWTH]: short, [RETIREMENT]: short } })));
    const r = await runCli(['history', '--db', db, '--days', '30'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`    ${GROWTH}: betas insufficient_history\n    ${RETIREMENT}: betas insufficient_history`);
  });

  it('are told apart in `history compare`', async () => {
    const baseline = (nav: number) => baselineOf({ outputs: [GROWTH, RETIREMENT].map((portfolio_id) => ({ portfolio_id, date: '2025-07-01', snapshot: { total_value: nav }, row_counts: {}, hashes: {} })) });
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    writeFileSync(a, JSON.stringify(baseline(1000)));
    writeFileSync(b, JSON.stringify(baseline(1100)));
    const r = await runCli(['history', 'compare', a, b]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('2025-07-01')).map((l) => l.split(/ +/)[1])).toEqual([GROWTH, RETIREMENT]);
  });
});
