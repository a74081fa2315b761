/**
 * The run beats its lock every lock.heartbeat_interval_ms (SPEC.md g.6), also while it waits on
 * a provider: with Yahoo hanging in the prefetch and the interval shrunk to 50 ms (m.17), the
 * lock's heartbeat_at keeps moving, so no other process may judge the live run stale and take
 * its lock over (g.9). Before, the run beat only between portfolio-dates.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { openStore } from '../../host/engine-host';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, runEngine, SHRUNK_WAIT_SETTINGS } from '../support/market-data-engine';
import { startYahooMock, type YahooMock } from '../support/yahoo-mock';

const NOW = '2025-03-15T12:00:00Z';
const LOTS = [{ symbol: 'MSFT', quantity: 10, entryDate: '2025-03-03' as IsoDate }];

function lockRow(db: string): { acquired_at: string; heartbeat_at: string } | undefined {
  const c = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return c.prepare(`SELECT acquired_at, heartbeat_at FROM run_lock WHERE kind = 'run'`).get() as { acquired_at: string; heartbeat_at: string } | undefined;
  } finally {
    c.close();
  }
}

describe('lock heartbeat while a provider hangs', () => {
  let mock: YahooMock;
  beforeEach(async () => {
    mock = await startYahooMock();
    mock.failEverything({ kind: 'hang' });
  });
  afterEach(async () => {
    await mock.close();
  });

  it('heartbeat_at moves on every interval during the prefetch', async () => {
    const db = join(tempDir('batchdesk-heartbeat-'), 'beat.db');
    createSmallDatabase(db, LOTS, { ...SHRUNK_WAIT_SETTINGS, 'market_data.timeout_ms': 60_000, 'lock.heartbeat_interval_ms': 50 }, Date.parse(NOW));
    const running = runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-07' }, mock.fetch, advancingClock(NOW));
    while (mock.requests.length === 0) await new Promise((r) => setTimeout(r, 10));

    const beats = new Set<string>();
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 60));
      const row = lockRow(db);
      expect(row).toBeDefined();
      beats.add(row!.heartbeat_at);
    }
    // The run is still in its first request, and the lock has been beaten several times.
    expect(mock.requests.every((r) => r.status === 'hang')).toBe(true);
    expect(beats.size).toBeGreaterThanOrEqual(4);
    expect([...beats].every((b) => b > lockRow(db)!.acquired_at)).toBe(true);

    const other = openStore(db, { mustExist: true });
    other.store.requestCancel(new Date().toISOString());
    other.close();
    const r = await running;
    expect(r.result.exitCode).toBe(130);
    expect(lockRow(db)).toBeUndefined();
  });
});
