/**
 * The report commands' date flags say what they default to and refuse what they would drop:
 * `verify guard --end-date` alone used to check the latest run's dates instead (SPEC.md i.4,
 * k.1: a meaningless combination is a usage error), and `reconcile --end-date` alone printed
 * its open start as "n/a"; `verify coverage` over weekends printed "Gaps: 0" and exit 0.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

describe('date scopes of the report commands', () => {
  it('verify guard refuses --end-date without --start-date (exit 2) and says what to give', async () => {
    const r = await runCli(['verify', 'guard', '--db', copyTo(seeded), '--end-date', '2025-08-01'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--end-date needs --start-date; for one date use --date YYYY-MM-DD');
    expect(r.stdout).not.toContain('verify guard  ');
  });

  it('verify coverage refuses a range without a trading day (exit 2), as purge and rebuild do', async () => {
    const r = await runCli(['verify', 'coverage', '--db', copyTo(seeded), '--start-date', '2025-07-05', '--end-date', '2025-07-06'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: 2025-07-05 .. 2025-07-06 holds no trading day (weekends and NYSE holidays are not processed), so there is nothing to check; widen the range');
    expect(r.stdout).toBe('');
  });

  it('verify guard and verify coverage name the default end date in their help', async () => {
    for (const sub of ['guard', 'coverage']) {
      const r = await runCli(['verify', sub, '--help'], ENV);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/--end-date YYYY-MM-DD[^\n]*\(default: the target date \(the latest settled trading day\)\)/);
    }
  });

  it('reconcile --end-date alone reads from the first processed date, and says so', async () => {
    const r = await runCli(['reconcile', '--db', copyTo(seeded), '--end-date', '2025-07-02'], ENV);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('batchdesk reconcile  first processed date .. 2025-07-02');
    expect(r.stdout).not.toContain('n/a ..');
  });
});
