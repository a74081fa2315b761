/**
 * The live view's "Provider requests" (SPEC.md h.7) and the stored run summary agree (h.5): the
 * live counter counts provider_request events, one per symbol range asked of a provider, and
 * the summary counts the same ranges. Real runs through the host record their events: Yahoo
 * with a retry (two HTTP requests for one range), the synthetic generator (which sends none)
 * and a CSV folder with a symbol in two files. Their events are delivered as the app gets them
 * (through the 10-per-second throttle, coalesced) and replayed as a reload rebuilds the view
 * from the event ring; both give the number stored in batch_run_history's summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelemetryThrottle, type TelemetryBatch } from '../../../core/api/telemetry-throttle';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { IsoDate } from '../../../core/domain/iso-date';
import { applyBatch, EMPTY_LIVE, type LiveState } from '../../../renderer/state/live-run';
import { tempDir } from '../../support/cli';
import { ManualTimer } from '../../support/manual-timer';
import { advancingClock, createSmallDatabase, querySql, runEngine, SHRUNK_WAIT_SETTINGS } from '../../support/market-data-engine';
import { startYahooMock, type YahooMock } from '../../support/yahoo-mock';

const LOTS = [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }];
const NOW = '2025-03-15T12:00:00Z';
const RANGE = { startDate: '2025-03-03', endDate: '2025-03-07' } as const;
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

/** The live state after the events arrived as the app receives them: throttled, a few at a time. */
function followed(events: readonly TelemetryEvent[]): LiveState {
  const timer = new ManualTimer();
  let state = EMPTY_LIVE;
  const throttle = createTelemetryThrottle((b: TelemetryBatch) => void (state = applyBatch(state, b, timer.now())), timer);
  events.forEach((e, i) => {
    throttle.push(e);
    if (i % 7 === 6) timer.advance(40);
  });
  throttle.flush();
  return state;
}

/** The live state a reload rebuilds from the event ring (LiveStore.rebuild): the run's events from its run_start. */
function replayed(events: readonly TelemetryEvent[]): LiveState {
  const start = events.findIndex((e) => e.event === 'run_start');
  return applyBatch(EMPTY_LIVE, { events: events.slice(start), counts: {}, coalesced: 0 }, 0);
}

/** market_data.requests of the run's summary as batch_run_history stores it. */
function storedRequests(db: string): number {
  const [row] = querySql<{ summary: string }>(db, `SELECT summary FROM batch_run_history ORDER BY started_at DESC LIMIT 1`);
  return (JSON.parse(row!.summary) as { market_data: { requests: number } }).market_data.requests;
}

describe('the live provider-request counter and the stored summary', () => {
  const dir = tempDir('batchdesk-live-requests-');
  let mock: YahooMock;
  beforeAll(async () => {
    mock = await startYahooMock();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('Yahoo with a retry: the live count during the run and after a reload is the stored count of ranges asked', async () => {
    const db = join(dir, 'yahoo.db');
    createSmallDatabase(db, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
    mock.script('MSFT', [{ kind: 'server_error' }], 'chart');
    const run = await runEngine(db, RANGE, mock.fetch, advancingClock(NOW));
    const stored = storedRequests(db);
    expect(stored).toBeGreaterThan(0);
    // At least the scripted retry: a loaded machine can time out more requests (short waits), each
    // one more HTTP request for the same range, which must not count as another range asked.
    expect(mock.count({ endpoint: 'chart' })).toBeGreaterThan(stored);
    expect(followed(run.events).counters.providerRequests).toBe(stored);
    expect(replayed(run.events).counters.providerRequests).toBe(stored);
  });

  it('the synthetic generator: the live count is the stored one, not 0', async () => {
    const db = join(dir, 'synthetic.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'synthetic' }, Date.parse(NOW));
    const run = await runEngine(db, RANGE, offline, advancingClock(NOW));
    const stored = storedRequests(db);
    expect(stored).toBeGreaterThan(0);
    expect(followed(run.events).counters.providerRequests).toBe(stored);
    expect(replayed(run.events).counters.providerRequests).toBe(stored);
  });

  it('a CSV folder with MSFT in MSFT.csv and in prices.csv: the live count is the stored one', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(join(csvDir, 'MSFT.csv'), 'date,close\n2025-03-03,400\n2025-03-04,401\n2025-03-05,402\n2025-03-06,403\n2025-03-07,404\n');
    writeFileSync(join(csvDir, 'prices.csv'), 'symbol,date,close\nMSFT,2025-02-28,399\nSPY,2025-03-03,580\nSPY,2025-03-07,581\n');
    const db = join(dir, 'csv.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const run = await runEngine(db, RANGE, offline, advancingClock(NOW));
    const stored = storedRequests(db);
    expect(stored).toBeGreaterThan(0);
    expect(followed(run.events).counters.providerRequests).toBe(stored);
    expect(replayed(run.events).counters.providerRequests).toBe(stored);
  });
});
