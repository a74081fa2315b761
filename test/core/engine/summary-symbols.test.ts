/**
 * The run summary's `market_data.symbols` (h.5): the symbols the run's dates need (e.2), option
 * contracts left out whether or not `market_data.fetch_option_contracts` has the run fetch
 * them. On one date it is that date's requested symbols less the contracts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { isOptionContractSymbol } from '../../../core/domain/symbols';
import { openDatabase } from '../../../db/open-database';
import { putSettings, SHORT_NOW } from '../../support/app/demo-fixture';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

const D = '2025-07-01' as IsoDate;
let demo = '';

beforeAll(() => {
  demo = seedDemoDb(SHORT_NOW);
}, 60_000);

async function runOnce(fetchContracts: boolean): Promise<{ summarySymbols: number; requested: number; missing: string[] }> {
  const path = copyDb(demo);
  putSettings(path, { 'market_data.fetch_option_contracts': fetchContracts });
  const r = await runDemo(path, SHORT_NOW, { targetDate: D, phases: ['market_data'] });
  if (r.kind !== 'run') throw new Error(`expected a run, got ${r.kind}`);
  const db = openDatabase(path, { readonly: true });
  const meta = JSON.parse((db.prepare(`SELECT metadata FROM batch_run_tracking WHERE run_date = ?`).get(D) as { metadata: string }).metadata) as {
    market_data: { symbols_requested: number; missing_symbols: string[] };
  };
  db.close();
  return { summarySymbols: (r.summary.market_data as { symbols: number }).symbols, requested: meta.market_data.symbols_requested, missing: meta.market_data.missing_symbols };
}

describe('summary market_data.symbols', () => {
  it('counts the needed symbols without option contracts, fetched or not', async () => {
    const off = await runOnce(false);
    const on = await runOnce(true);
    expect(off.summarySymbols).toBeGreaterThan(8);
    expect(off.summarySymbols).toBe(off.requested);
    // The demo holds listed options: fetching their contracts requests more symbols, all contracts.
    expect(on.requested).toBeGreaterThan(off.requested);
    expect(on.missing.filter((s) => !isOptionContractSymbol(s))).toEqual(off.missing);
    expect(on.summarySymbols).toBe(off.summarySymbols);
  });
});
