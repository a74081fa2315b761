/** Missing-price reasons (SPEC.md e.6): the first rule that applies, in the table's order. */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../../core/domain/iso-date';
import { missingReason, type MissingReasonInput } from '../../../../core/phases/market-data/missing-reason';
import type { FetchLogEntry } from '../../../../core/ports/store';

const D = '2025-03-11' as IsoDate;
const entry = (outcome: FetchLogEntry['outcome'], start = '2025-03-05', end = '2025-03-12', error: string | null = 'why'): FetchLogEntry => ({
  symbol: 'MSFT',
  provider: 'yahoo',
  rangeStart: start as IsoDate,
  rangeEnd: end as IsoDate,
  requestedAt: '2025-03-15T12:00:00.000000Z',
  outcome,
  rowsReturned: 0,
  firstTradeDate: null,
  error,
  runId: null,
});
const base: MissingReasonInput = { d: D, firstTradeDate: null, invalidReason: null, lastRequest: null, fallbackDate: null, lastKnownDate: null, neverPriced: false };

describe('missingReason', () => {
  it.each([
    ['not listed yet wins over everything', { firstTradeDate: '2025-03-12', invalidReason: 'invalid close -1', lastRequest: entry('rate_limited') }, 'not_listed_yet', 'first trade date 2025-03-12'],
    ['a first trade date on D is listed', { firstTradeDate: D, fallbackDate: '2025-03-10' }, 'no_data', null],
    ['invalid close seen in this run', { invalidReason: 'invalid close -1', lastRequest: entry('provider_error') }, 'invalid_price', 'invalid close -1'],
    // Read back without its provider, so a re-run words it as the run that rejected it (g.8).
    ['one-day invalid fetch-log row (a later run)', { lastRequest: entry('invalid', D, D, 'invalid close -1 from yahoo') }, 'invalid_price', 'invalid close -1'],
    ['a multi-day invalid answer says nothing about D', { lastRequest: entry('invalid'), fallbackDate: '2025-03-10' }, 'no_data', null],
    ['rate limited', { lastRequest: entry('rate_limited', undefined, undefined, 'HTTP 429'), fallbackDate: '2025-03-10' }, 'rate_limited', 'HTTP 429'],
    ['provider error', { lastRequest: entry('provider_error', undefined, undefined, 'HTTP 500') }, 'provider_error', 'HTTP 500'],
    ['answered, no fallback, stale', { lastRequest: entry('ok'), lastKnownDate: '2025-02-28' }, 'stale_beyond_fallback', 'last close 2025-02-28'],
    ['never priced', { lastRequest: entry('no_data'), neverPriced: true }, 'stale_beyond_fallback', 'never priced: check the symbol'],
    ['no earlier close but later ones', { lastRequest: entry('no_data') }, 'stale_beyond_fallback', 'no close on or before this date in the cache'],
    ['a one-off gap', { lastRequest: entry('ok'), fallbackDate: '2025-03-10', lastKnownDate: '2025-03-10' }, 'no_data', null],
    ['offline (no request at all) with a fallback', { fallbackDate: '2025-03-10' }, 'no_data', null],
  ])('%s', (_label, input, reason, detail) => {
    expect(missingReason({ ...base, ...(input as Partial<MissingReasonInput>) })).toEqual({ reason, detail });
  });
});
