/**
 * Offline mode on the demo (issue 5 acceptance; SPEC.md e.1, e.8): the demo backfill with
 * `--market-data offline` gives the same results as the synthetic run, says once that it runs
 * on the cache alone, and writes nothing to the price cache. The seeded demo cache already
 * holds every close the backfill needs, so the two runs must agree row for row (the canonical
 * content checksums of m.12 over every derived table).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffChecksums, fileContentChecksums } from '../../db/canonical';
import { runCli, tempDir, type CliResult } from '../support/cli';
import { copyDatabase } from '../support/market-data-engine';
import { DERIVED_TABLES } from '../../core/validation/table-catalog';

/** After the close of Friday 2025-07-11: the automatic range is 2025-06-30 .. 07-11 (9 trading days). */
const NOW = '2025-07-11T23:00:00Z';
/** The spec's derived tables (b.4), from the table catalog. */
const DERIVED = DERIVED_TABLES.map((t) => t.name);

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

  it('with a CSV folder, the notice names the folder (closes come from it too)', async () => {
    const folder = tempDir('batchdesk-md-offline-csv-');
    const withCsv = join(dir, 'offline-csv.db');
    copyDatabase(seeded, withCsv);
    const r = await runCli(['run', '--db', withCsv, '--no-guard', '--market-data', 'offline', '--csv-dir', folder, '--target-date', '2025-06-30'], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`offline mode: closes come from the local price cache and the CSV folder ${folder}; nothing is fetched from the network`);
    expect(r.stderr).not.toContain('using the local price cache only');
  });

  it('reports once what is stale when the cache ends before the target date, and falls back', async () => {
    const stale = join(dir, 'stale.db');
    copyDatabase(seeded, stale);
    // Two trading days later than the seeded closes (2025-07-14 and 07-15).
    const r = await runCli(['run', '--db', stale, '--no-guard', '--market-data', 'offline'], { BATCHDESK_NOW: '2025-07-15T23:00:00Z' });
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('offline: the cache has no close for '));
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^offline: the cache has no close for \d+ needed symbol\(s\) up to 2025-07-15: .*SPY \(last close 2025-07-11\)/);
    const db = new Database(stale, { readonly: true });
    const rows = db.prepare(`SELECT price_date, reason, resolution, fallback_price_date, provider, count(*) AS n FROM missing_prices GROUP BY 1, 2, 3, 4, 5 ORDER BY 1`).all();
    db.close();
    expect(rows).toEqual([
      { price_date: '2025-07-14', reason: 'no_data', resolution: 'fallback', fallback_price_date: '2025-07-11', provider: 'cache', n: expect.any(Number) },
      { price_date: '2025-07-15', reason: 'no_data', resolution: 'fallback', fallback_price_date: '2025-07-11', provider: 'cache', n: expect.any(Number) },
    ]);
  });
});
