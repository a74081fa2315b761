/**
 * The inputs a monitor-only trace (SPEC.md g.12) records for a date phase are what the phase
 * saw, read before it ran: market_data fills the closes it fetches into the run's price table
 * and logs its requests, so a read afterwards would show its own results as its inputs.
 *
 * On the demo database, SPY's 2025-07-10 close is removed from the cache and the price source
 * is down during the chunk prefetch; it is back when market_data starts, so the phase asks
 * once more and gets the close. Its document shows SPY as the phase found it (a fallback
 * close, the prefetch's failed request) while its rows show the close it fetched (SPY is not
 * missing).
 */
import { describe, expect, it } from 'vitest';
import { runOptionsSchema } from '../../../core/api/run-options';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { MonitorReport } from '../../../core/engine/monitor-recorder';
import { runBatch } from '../../../core/engine/run-engine';
import type { PriceRequest, PriceResponse, PriceSource } from '../../../core/ports/market-data';
import { createDerivedRowsReader } from '../../../db/derived-rows-reader';
import { createEngineStore } from '../../../db/engine-store';
import { openDatabase } from '../../../db/open-database';
import { engineHost } from '../../../host/engine-host';
import { systemClock, systemRandom } from '../../../host/system-ports';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { seedDemoDb } from '../../support/demo-db';

const D = '2025-07-10' as IsoDate;

describe('monitor-only trace inputs of market_data', () => {
  it('are the state before the phase ran, not the closes and requests it added', async () => {
    const path = seedDemoDb(SHORT_NOW);
    const db = openDatabase(path);
    const close = (db.prepare(`SELECT close FROM market_data_cache WHERE symbol = 'SPY' AND date = ?`).get(D) as { close: number }).close;
    db.prepare(`DELETE FROM market_data_cache WHERE symbol = 'SPY' AND date = ?`).run(D);

    let down = true;
    const source: PriceSource = {
      name: 'synthetic',
      async fetchPrices(request: PriceRequest): Promise<PriceResponse> {
        const base = { symbol: request.symbol, start: request.start, end: request.end, firstTradeDate: null, rateLimited: false, circuitOpen: false, httpRequests: 0, retries: 0 };
        if (down) return { ...base, outcome: 'provider_error', quotes: [], error: 'source down' };
        const quotes = request.symbol === 'SPY' && request.start <= D && D <= request.end ? [{ date: D, close, volume: null, open: null, high: null, low: null }] : [];
        return { ...base, outcome: quotes.length ? 'ok' : 'no_data', quotes, error: null };
      },
    };
    const docs = new Map<string, Record<string, unknown>>();
    try {
      const r = await runBatch(
        {
          store: createEngineStore(db),
          clock: systemClock({ BATCHDESK_NOW: SHORT_NOW }),
          random: systemRandom(),
          sinks: [],
          priceSources: [source],
          profileSource: null,
          host: engineHost('cli', path),
          derivedRows: createDerivedRowsReader(db),
          trace: { write: (file, doc) => void docs.set(file, doc as Record<string, unknown>) },
          hooks: {
            beforePhase: (phase) => {
              if (phase === 'market_data') down = false;
            },
          },
        },
        runOptionsSchema.parse({ targetDate: D, monitorOnly: true, trace: 'in-memory', guard: false }),
        { signal: new AbortController().signal },
      );
      if (r.kind !== 'run') throw new Error(`no run: ${r.kind}`);
      expect((r.summary as { monitor?: MonitorReport }).monitor).toBeDefined();
    } finally {
      db.close();
    }

    const md = docs.get(`${D}/date/market_data.json`) as { inputs: { outcome: { status: string }; symbols: Record<string, Record<string, unknown>> }; outputs: { missing_prices: { key: string }[] } };
    expect(md.inputs.outcome.status).toBe('success');
    // What the phase saw: no close on D (the prefetch's request failed), a fallback one.
    expect(md.inputs.symbols['SPY']).toMatchObject({ price: { date: '2025-07-09', source: 'fallback' }, last_request: { outcome: 'provider_error' } });
    // What it did: it fetched D's close, so SPY is not missing.
    expect(md.outputs.missing_prices.some((row) => row.key.includes('SPY'))).toBe(false);
  }, 120_000);
});
