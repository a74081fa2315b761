/**
 * The dry run's fetch plan over all chunks (SPEC.md g.4, e.3) counts each missing range once.
 * With a source, each chunk lists only what the earlier chunks did not ask for already, so the
 * chunks add up. Offline without a CSV folder nothing is asked: every chunk lists the gaps of its
 * own windows, also those an earlier chunk listed, as its prefetch will find them; the total
 * over the chunks still counts each gap once, as many ranges and trading days as a run with a
 * source (here the synthetic generator) would ask for.
 *
 * Fixture: a new database (no cached close) with one MSFT lot, planned over two weeks in chunks
 * of 3 calendar days, so every chunk's windows lack the same closes of every needed symbol.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunPlan } from '../../core/engine/plan-types';
import type { IsoDate } from '../../core/domain/iso-date';
import { planDocument } from '../../host/plan-document';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const OPTIONS = { startDate: '2025-03-03', endDate: '2025-03-14', chunkDays: 3, dryRun: true } as const;
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

async function planOf(db: string, marketData: 'offline' | 'synthetic'): Promise<RunPlan> {
  const r = await runEngine(db, { ...OPTIONS, marketData }, offline, advancingClock(NOW));
  if (r.result.kind !== 'plan') throw new Error(`expected a plan, got ${r.result.kind}`);
  return r.result.plan;
}

const sums = (plan: RunPlan) => ({
  ranges: (plan.fetches ?? []).reduce((s, f) => s + f.ranges.length, 0),
  requestedDays: (plan.fetches ?? []).reduce((s, f) => s + f.requestedDays, 0),
});

describe('the fetch plan total of a dry run', () => {
  it('offline, counts a gap that every chunk lacks once, as a run with a source asks for it', async () => {
    const db = join(tempDir('batchdesk-fetch-total-'), 'small.db');
    createSmallDatabase(db, [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }], {}, Date.parse(NOW));
    const withSource = await planOf(db, 'synthetic');
    const cacheOnly = await planOf(db, 'offline');
    expect(cacheOnly.fetches!.length).toBeGreaterThan(2);
    expect(cacheOnly.fetches!.every((f) => f.sources.length === 0)).toBe(true);
    // With a source the chunks add up: each asks only for what the earlier ones did not.
    expect(withSource.fetchTotal).toEqual(sums(withSource));
    // Offline each chunk lists what its windows lack, the earlier chunks' gaps again ...
    for (const f of cacheOnly.fetches!) expect(f.ranges.map((r) => r.symbol)).toEqual(f.symbols);
    expect(sums(cacheOnly).requestedDays).toBeGreaterThan(cacheOnly.fetchTotal!.requestedDays);
    // ... and the total counts each gap once.
    expect(cacheOnly.fetchTotal).toEqual(withSource.fetchTotal);
    expect(cacheOnly.fetchTotal!.ranges).toBeGreaterThan(0);
    expect(planDocument(cacheOnly)['fetch_total']).toEqual({ ranges: cacheOnly.fetchTotal!.ranges, requested_days: cacheOnly.fetchTotal!.requestedDays });
  });
});
