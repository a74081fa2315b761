/**
 * Cancelling a run aborts provider requests in flight (SPEC.md e.7 "Cancelling a run aborts
 * requests in flight", g.10): with Yahoo hanging and a request time limit of 60 s, a cancel
 * (the caller's signal, or `batchdesk cancel` through the database) ends the run at once with
 * exit code 130, and the aborted requests are not recorded as provider failures.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { openStore } from '../../host/engine-host';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, querySql, runEngine, SHRUNK_WAIT_SETTINGS } from '../support/market-data-engine';
import { startYahooMock, type YahooMock } from '../support/yahoo-mock';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [{ symbol: 'MSFT', quantity: 10, entryDate: '2025-03-03' as IsoDate }];

async function firstRequest(mock: YahooMock): Promise<void> {
  while (mock.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
}

describe('cancel during a fetch', () => {
  const dir = tempDir('batchdesk-md-cancel-');
  let mock: YahooMock;
  let n = 0;
  beforeEach(async () => {
    mock = await startYahooMock();
    mock.failEverything({ kind: 'hang' });
  });
  afterEach(async () => {
    await mock.close();
  });

  async function hangingRun(cancel: (db: string, abort: AbortController) => void) {
    const db = join(dir, `cancel-${++n}.db`);
    createSmallDatabase(db, LOTS, { ...SHRUNK_WAIT_SETTINGS, 'market_data.timeout_ms': 60_000 }, Date.parse(NOW));
    const abort = new AbortController();
    const running = runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-07' }, mock.fetch, advancingClock(NOW), abort.signal);
    await firstRequest(mock);
    cancel(db, abort);
    return { db, run: await running };
  }

  it.each([
    ['the caller signal (Ctrl-C)', (_db: string, abort: AbortController) => abort.abort(new Error('user cancel'))],
    [
      'batchdesk cancel (a flag in the database)',
      (db: string) => {
        const other = openStore(db, { mustExist: true });
        expect(other.store.requestCancel(new Date().toISOString())).toBe(true);
        other.close();
      },
    ],
  ])('%s aborts the hanging request and ends the run with 130', async (_label, cancel) => {
    const { db, run } = await hangingRun(cancel);
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;
    expect(run.result.exitCode).toBe(130);
    expect(run.result.summary.dates.processed).toBe(0);
    // The aborted requests are not failures of the provider.
    expect(querySql(db, `SELECT outcome FROM market_data_fetch_log WHERE outcome IN ('provider_error', 'rate_limited')`)).toEqual([]);
    expect(mock.requests.every((r) => r.status === 'hang')).toBe(true);
  });
});
