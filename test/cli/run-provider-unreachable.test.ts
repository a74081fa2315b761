/**
 * An online run that cannot reach its provider (every fetch fails as without a network) on a
 * database with an empty price cache: its dates fail for lack of closes (c.5), and the final
 * summary adds one line of advice: run with --market-data offline, or add the closes with
 * `prices import`. A run whose dates failed for lack of closes without any provider (offline)
 * gets no such line: nothing was unreachable.
 *
 * The run is the CLI's, in process; the global fetch is replaced by one that fails as an
 * unreachable host does, so nothing leaves the machine. Waits are shrunk through the settings
 * (m.17) so the run takes about a second.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { runCli, tempDir } from '../support/cli';
import { createSmallDatabase, SHRUNK_WAIT_SETTINGS } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const ENTRY = '2025-03-03' as IsoDate;
const LOTS = ['MSFT', 'KO'].map((symbol) => ({ symbol, quantity: 100, entryDate: ENTRY }));
const RANGE = ['--start-date', '2025-03-03', '--end-date', '2025-03-05'];

function smallDb(): string {
  const db = join(tempDir('batchdesk-unreachable-'), 'portfolios.sqlite');
  createSmallDatabase(db, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
  return db;
}

describe('the run summary when the provider cannot be reached', () => {
  let calls = 0;
  beforeEach(() => {
    calls = 0;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND query1.finance.yahoo.com'), { code: 'ENOTFOUND' }) });
    });
    // yahoo-finance2 may write notices to the console; the test output stays clean.
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, m).mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('advises --market-data offline or prices import, once, after the missing-price line', async () => {
    const db = smallDb();
    const r = await runCli(['run', '--db', db, ...RANGE, '--no-guard'], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(1);
    expect(calls).toBeGreaterThan(0);
    expect(r.stderr).toContain('yahoo cannot be reached (network errors or timeouts)');
    const lines = r.stderr.split('\n');
    const advice = lines.filter((l) => l.startsWith('Prices: '));
    expect(advice).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Prices: yahoo \\(\\d+ of \\d+ requests failed or refused\\) could not be reached and market_data failed on 3 dates for lack of closes; ` +
            `run with --market-data offline \\(the price cache, a --csv-dir folder and fallback closes; no network\\), ` +
            `e\\.g\\. \`batchdesk run --retry-failed-phases --market-data offline --db ${db}\`, or add closes with \`batchdesk prices import FILE --db ${db}\`$`,
        ),
      ),
    ]);
    // In the final summary, right after the missing-price line.
    const at = lines.indexOf(advice[0]!);
    expect(lines[at - 1]).toMatch(/^Missing prices: /);
    expect(lines.slice(at).some((l) => /^Status: /.test(l))).toBe(false);
  });

  it('is not given when no provider was asked (offline): the dates still fail for lack of closes', async () => {
    const db = smallDb();
    const r = await runCli(['run', '--db', db, ...RANGE, '--no-guard', '--market-data', 'offline'], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(1);
    expect(calls).toBe(0);
    expect(r.stderr).toMatch(/\nMissing prices: /);
    expect(r.stderr).not.toMatch(/^Prices: /m);
  });
});
