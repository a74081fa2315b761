/**
 * `history` right after a backfill of past dates (SPEC.md i.5): the run is in the period, its
 * dates are older than it; instead of an empty dates table the report says how many tracked
 * dates are older and which --days shows them.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';

const ENV = { BATCHDESK_NOW: '2025-09-30T23:00:00Z' };

describe('history after a backfill of past dates', () => {
  const db = join(tempDir(), 'demo.db');
  beforeAll(async () => {
    expect((await runCli(['seed-demo', '--db', db], ENV)).code).toBe(0);
    expect((await runCli(['run', '--db', db, '--start-date', '2025-06-30', '--end-date', '2025-07-02', '--quiet'], ENV)).code).toBe(0);
  }, 120_000);

  it('says the tracked dates are older than the period and how to see them', async () => {
    const r = await runCli(['history', '--db', db], ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/batch_20250930_230000_\w+ .* completed +3 +3 +0/);
    expect(r.stdout).toContain('No tracked date in the period shown; 3 tracked date(s) are older (from 2025-06-30): use --days 92 to see them');
    const json = JSON.parse((await runCli(['history', '--db', db, '--json'], ENV)).stdout) as { dates: unknown[]; olderDates: unknown };
    expect(json.dates).toEqual([]);
    expect(json.olderDates).toEqual({ count: 3, oldest: '2025-06-30', days: 92 });
  });

  it('the suggested --days shows them all, with no note', async () => {
    const r = await runCli(['history', '--db', db, '--days', '92'], ENV);
    expect(r.stdout).toMatch(/^2025-06-30 +success +SSSSSS/m);
    expect(r.stdout).toMatch(/^2025-07-02 +success +SSSSSS/m);
    expect(r.stdout).not.toContain('older');
  });
});
