/**
 * `history --status S` (SPEC.md i.5, k.1): S is a run status (h.6) or a date status (h.4); any
 * other value is a usage error (exit 2) naming the accepted ones, instead of an empty report.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';

const NOW = '2025-07-10T23:00:00Z';

describe('history --status', () => {
  const db = join(tempDir(), 'demo.db');
  beforeAll(async () => {
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    expect((await runCli(['run', '--db', db, '--target-date', '2025-07-07', '--quiet'], { BATCHDESK_NOW: NOW })).code).toBe(0);
  });

  it('refuses an unknown status with exit 2, naming the run and date statuses', async () => {
    const r = await runCli(['history', '--db', db, '--status', 'bogus'], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --status "bogus": .*expected one of /);
    for (const s of ['running', 'completed', 'partial', 'failed', 'cancelled', 'interrupted', 'success', 'stale', 'imported']) expect(r.stderr).toContain(`"${s}"`);
  });

  it('filters by a run status and by a date status', async () => {
    const runs = JSON.parse((await runCli(['history', '--db', db, '--status', 'completed', '--json'], { BATCHDESK_NOW: NOW })).stdout) as { runs: unknown[]; dates: unknown[] };
    expect(runs.runs.length).toBe(1);
    expect(runs.dates.length).toBe(0);
    const dates = JSON.parse((await runCli(['history', '--db', db, '--status', 'success', '--json'], { BATCHDESK_NOW: NOW })).stdout) as { runs: unknown[]; dates: unknown[] };
    expect(dates.runs.length).toBe(0);
    expect(dates.dates.length).toBe(1);
  });
});
