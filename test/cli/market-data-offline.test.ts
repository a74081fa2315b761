/**
 * Offline mode on the demo (issue 5 acceptance; SPEC.md e.1, e.8): the demo backfill with
 * `--market-data offline` gives the same results as the synthetic run, says once that it runs
 * on the cache alone, and writes nothing to the price cache. The seeded demo cache already
 * holds every close the backfill needs, so the two runs must agree row for row (the canonical
 * content checksums of m.12 over every derived table).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffChecksums, fileContentChecksums } from '../../db/canonical';
import { runCli, tempDir, type CliResult } from '../support/cli';
import { copyDatabase } from '../support/market-data-engine';

/** After the close of Friday 2025-07-11: the automatic range is 2025-06-30 .. 07-11 (9 trading days). */
const NOW = '2025-07-11T23:00:00Z';
const DERIVED = [
  'portfolio_snapshots',
  'position_marks',
  'missing_prices',
  'symbol_factor_exposures',
  'factor_exposures',
  'position_factor_exposures',
  'position_market_betas',
  'position_interest_rate_betas',
  'position_volatility',
  'correlation_calculations',
  'pairwise_correlations',
  'stress_test_results',
];

describe('offline demo backfill', () => {
  const dir = tempDir('batchdesk-md-offline-');
  const seeded = join(dir, 'seeded.db');
  const synthetic = join(dir, 'synthetic.db');
  const offline = join(dir, 'offline.db');
  let syntheticRun: CliResult;
  let offlineRun: CliResult;
  let cacheBefore: ReturnType<typeof fileContentChecksums>;

  beforeAll(async () => {
    expect((await runCli(['seed-demo', '--db', seeded], { BATCHDESK_NOW: NOW })).code).toBe(0);
    copyDatabase(seeded, synthetic);
    copyDatabase(seeded, offline);
    cacheBefore = fileContentChecksums(offline, { tables: ['market_data_cache', 'company_profiles'] });
    syntheticRun = await runCli(['run', '--db', synthetic, '--no-guard'], { BATCHDESK_NOW: NOW });
    offlineRun = await runCli(['run', '--db', offline, '--no-guard', '--market-data', 'offline'], { BATCHDESK_NOW: NOW });
  });

  it('both runs complete the same 9 dates', () => {
    expect(syntheticRun.code, syntheticRun.stderr).toBeLessThanOrEqual(1);
    expect(offlineRun.code, offlineRun.stderr).toBe(syntheticRun.code);
    for (const r of [syntheticRun, offlineRun]) expect(r.stderr).toContain('Dates: 2025-06-30 .. 2025-07-11 (9 trading days');
  });

  it('gives the same derived rows as the synthetic run', () => {
    const a = fileContentChecksums(synthetic, { tables: DERIVED });
    const b = fileContentChecksums(offline, { tables: DERIVED });
    expect(a['portfolio_snapshots']!.rows).toBe(5 * 9);
    expect(diffChecksums(a, b)).toEqual([]);
  });

  it('says once, clearly, that it runs on the cache alone, and writes no prices or profiles', () => {
    const notice = 'offline mode: using the local price cache only; nothing is fetched';
    expect(offlineRun.stderr.split(notice).length - 1).toBe(1);
    expect(syntheticRun.stderr).not.toContain(notice);
    // The cache covers every needed close: nothing is reported stale.
    expect(offlineRun.stderr).not.toContain('offline: the cache has no close');
    expect(diffChecksums(cacheBefore, fileContentChecksums(offline, { tables: ['market_data_cache', 'company_profiles'] }))).toEqual([]);
  });
});
