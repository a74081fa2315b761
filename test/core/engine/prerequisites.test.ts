/**
 * The marks prerequisite (SPEC.md c.11): marks run without market_data on a date needs, for
 * every symbol it marks, a close on D or a missing_prices row saying why there is none. The
 * planner checks it before the run starts (refused, exit 2, naming the symbols), the phase again
 * as it runs (uncoveredSymbols, one rule for both). Whether market_data ever ran on D does not
 * matter: closes put in the cache another way (a CSV import, a seed) are enough. When the date's
 * market_data runs in the same run, it provides one or the other (and marks does not look).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { Lot } from '../../../core/domain/portfolio';
import { FACTOR_ETFS } from '../../../core/domain/symbols';
import { uncoveredSymbols } from '../../../core/phases/marks';
import type { DateResult } from '../../../core/engine/run-summary';
import { openDatabase } from '../../../db/open-database';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { copyDb, demoWithMarks, runDemo, seedDemoDb } from '../../support/demo-db';

const D = '2025-07-02' as IsoDate;
const PID = DEMO_PORTFOLIOS.individual;
let demo = '';
let symbol = '';

beforeAll(async () => {
  demo = await demoWithMarks(SHORT_NOW, '2025-07-01', D);
  const db = openDatabase(demo, { readonly: true });
  symbol = (
    db.prepare(`SELECT symbol FROM positions WHERE portfolio_id = ? AND investment_class = 'PUBLIC' AND deleted_at IS NULL AND entry_date < ? ORDER BY symbol LIMIT 1`).get(PID, D) as {
      symbol: string;
    }
  ).symbol;
  db.close();
}, 60_000);

/** A copy of the demo where `symbol` has neither a close on D nor a missing_prices row. */
function withoutClose(): string {
  const path = copyDb(demo);
  const db = openDatabase(path);
  expect(db.prepare(`DELETE FROM market_data_cache WHERE symbol = ? AND date = ?`).run(symbol, D).changes).toBe(1);
  db.prepare(`DELETE FROM missing_prices WHERE symbol = ? AND price_date = ?`).run(symbol, D);
  db.close();
  return path;
}

const marksOf = (r: Awaited<ReturnType<typeof runDemo>>) => {
  if (r.kind !== 'run') throw new Error(`expected a run, got ${r.kind}`);
  return (r.summary.results as DateResult[]).find((x) => x.date === D)!.portfolios.find((p) => p.portfolio_id === PID)!.phases['marks']!;
};

describe('the marks prerequisite', () => {
  it('refuses marks alone before the run starts, naming the symbol with no close and no missing_prices row, and writes nothing', async () => {
    const path = withoutClose();
    const tracked = () => {
      const db = openDatabase(path, { readonly: true });
      const n = (db.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n;
      db.close();
      return n;
    };
    const before = tracked();
    const refusal = await runDemo(path, SHORT_NOW, { targetDate: D, phases: ['marks'] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(BatchdeskError);
    expect((refusal as BatchdeskError).code).toBe('usage');
    expect((refusal as BatchdeskError).message).toContain(`marks needs market_data on ${D} (no close and no missing_prices row for ${symbol})`);
    expect(tracked()).toBe(before);
  });

  it('lets marks run without market_data on a date market_data never ran on, when every needed symbol has a close', async () => {
    // A fresh demo: synthetic closes for every day, no run yet (no tracking row for the date).
    const r = await runDemo(seedDemoDb(SHORT_NOW), SHORT_NOW, { targetDate: '2025-06-30', phases: ['marks', 'snapshots'] });
    if (r.kind !== 'run') throw new Error(`expected a run, got ${r.kind}`);
    expect(r.exitCode).toBe(0);
    const marks = (r.summary.results as DateResult[])[0]!.portfolios.find((p) => p.portfolio_id === PID)!.phases['marks']!;
    expect(marks).toMatchObject({ status: 'success', reason: null });
  });

  it('a missing_prices row for the date covers a symbol without a close', async () => {
    const path = withoutClose();
    const db = openDatabase(path);
    db.prepare(`INSERT INTO missing_prices (price_date, symbol, reason, resolution, positions_affected, portfolios_affected, recorded_at) VALUES (?, ?, 'no_data', 'missing', 1, 1, ?)`).run(D, symbol, SHORT_NOW);
    db.close();
    const r = await runDemo(path, SHORT_NOW, { targetDate: D, phases: ['marks'] });
    expect(marksOf(r)).toMatchObject({ status: 'success', reason: null });
  });

  it('succeeds when the date’s market_data runs in the same run and fills the gap', async () => {
    const r = await runDemo(withoutClose(), SHORT_NOW, { targetDate: D, phases: ['market_data', 'marks'] });
    expect(marksOf(r)).toMatchObject({ status: 'success', reason: null });
    expect(r.exitCode).toBe(0);
  });
});

describe('uncoveredSymbols', () => {
  const lot = (over: Record<string, unknown>): Lot => ({ id: 'l', portfolioId: 'p', investmentClass: 'PUBLIC', entryDate: '2025-01-02', exitDate: null, expirationDate: null, underlyingSymbol: null, ...over }) as unknown as Lot;
  const d = '2025-07-02' as IsoDate;
  const etfs: ReadonlySet<string> = new Set(FACTOR_ETFS);
  const allEtfs = (s: string) => etfs.has(s);

  it('names the held symbols and factor ETFs with neither a close nor a missing_prices row, sorted', () => {
    const lots = [lot({ id: 'a', symbol: 'MSFT' }), lot({ id: 'b', symbol: 'AAPL' })];
    expect(uncoveredSymbols(lots, d, allEtfs, new Set())).toEqual(['AAPL', 'MSFT']);
    expect(uncoveredSymbols(lots, d, allEtfs, new Set(['MSFT']))).toEqual(['AAPL']);
    expect(uncoveredSymbols(lots, d, (s) => s !== 'SPY', new Set(['AAPL', 'MSFT']))).toEqual(['SPY']);
  });

  it('leaves out an option contract (the model prices it) but not its underlying, and lots not marked on D', () => {
    const lots = [
      lot({ id: 'o', symbol: 'SPY250919C00600000', investmentClass: 'OPTIONS', underlyingSymbol: 'QQQ', expirationDate: '2025-09-19' }),
      lot({ id: 'later', symbol: 'TSLA', entryDate: '2025-08-01' }),
    ];
    expect(uncoveredSymbols(lots, d, (s) => s !== 'QQQ' && allEtfs(s), new Set())).toEqual(['QQQ']);
  });
});
