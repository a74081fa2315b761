/**
 * `diagnose prices` on a date after the target date is a usage error (SPEC.md k.3), worded as
 * `run --target-date` words it, in the CLI and through the contract; it does not list every
 * symbol as missing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../reliability/bad-input-harness';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';

let db = '';
beforeAll(() => {
  db = copyTo(seedDemoDb(SAFE_NOW));
}, 120_000);

describe('diagnose prices after the target date', () => {
  it('is a usage error naming the target date, as run gives it', async () => {
    const r = await runCli(['diagnose', 'prices', '--db', db, '--date', '2025-07-14'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--date 2025-07-14: its close is not settled yet (the target date, the latest settled trading day, is 2025-07-10)');
    expect(r.stdout).toBe('');
    const run = await runCli(['run', '--db', db, '--target-date', '2025-07-14', '--dry-run'], ENV);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--target-date 2025-07-14: its close is not settled yet (the target date, the latest settled trading day, is 2025-07-10)');
  });

  it('is a usage error through the contract too', async () => {
    expect(await contract(db, SAFE_NOW, 'diagnosePrices', { date: '2025-07-14' })).toMatchObject({ code: 2, text: '--date 2025-07-14: its close is not settled yet (the target date, the latest settled trading day, is 2025-07-10)' });
  });

  it('the target date itself is diagnosed', async () => {
    const r = await runCli(['diagnose', 'prices', '--db', db, '--date', '2025-07-10'], ENV);
    expect(r.stdout).toContain('batchdesk diagnose prices  date 2025-07-10');
  });
});
