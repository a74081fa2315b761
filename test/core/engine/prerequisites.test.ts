/**
 * Run-time prerequisites (SPEC.md c.11): marks run without market_data on a date needs, for
 * every symbol it marks, a close on D or a missing_prices row saying why there is none. When
 * the date's market_data runs in the same run, it provides one or the other (and marks does
 * not look).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { DateResult } from '../../../core/engine/run-summary';
import { openDatabase } from '../../../db/open-database';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { copyDb, demoWithMarks, runDemo } from '../../support/demo-db';

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
  it('fails marks alone, naming the symbol with no close and no missing_prices row', async () => {
    const r = await runDemo(withoutClose(), SHORT_NOW, { targetDate: D, phases: ['marks'] });
    const marks = marksOf(r);
    expect(marks.status).toBe('failed');
    expect(marks.reason).toBe('prerequisite_missing');
    expect(marks.error).toContain(`market_data has not run for ${D}: no close and no missing_prices row for`);
    expect(marks.error).toContain(symbol);
    expect(r.exitCode).toBe(1);
  });

  it('succeeds when the date’s market_data runs in the same run and fills the gap', async () => {
    const r = await runDemo(withoutClose(), SHORT_NOW, { targetDate: D, phases: ['market_data', 'marks'] });
    expect(marksOf(r)).toMatchObject({ status: 'success', reason: null });
    expect(r.exitCode).toBe(0);
  });
});
