/**
 * A lot fully closed on D (exit_date = D) is no longer active on D but still has its exit-day
 * mark (d.3), priced at D's close (d.2.1), so its symbol is needed on D (e.2, c.5). Before, only
 * active lots counted: a chunk that started on D (`--target-date D`, or a resume whose chunk
 * started there) never loaded the symbol, and the exit-day mark became price null, source
 * 'missing', while a range through D, whose earlier dates had loaded it, marked it exact. The
 * content then depended on where a chunk started (m.12, g.7).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { diffChecksums } from '../../../db/canonical';
import type { IsoDate } from '../../../core/domain/iso-date';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';
import { checksumsOf, execOn } from '../../support/safeguards';

const P = DEMO_PORTFOLIOS.individual;
/** BND: held by one lot of the individual portfolio only, and not a factor ETF. */
const SYMBOL = 'BND';
const D = '2025-07-10' as IsoDate;

/** Closes the portfolio's only BND lot fully on D (exit fields, quantity 0 and its realized event, b.2); returns the quantity closed. */
function closeLotOn(path: string, d: IsoDate): number {
  return execOn(path, (db) => {
    const lot = db.prepare(`SELECT id, quantity, entry_price AS entryPrice FROM positions WHERE symbol = ? AND portfolio_id = ?`).get(SYMBOL, P) as { id: string; quantity: number; entryPrice: number };
    const exitPrice = lot.entryPrice + 1;
    db.prepare(`UPDATE positions SET exit_date = ?, exit_price = ?, quantity = 0, realized_pnl = ? WHERE id = ?`).run(d, exitPrice, lot.quantity, lot.id);
    db.prepare(`INSERT INTO position_realized_events (id, position_id, portfolio_id, trade_date, quantity_closed, realized_pnl, exit_price, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
      'exit-day-event',
      lot.id,
      P,
      d,
      lot.quantity,
      lot.quantity,
      exitPrice,
      `${d}T21:00:00.000Z`,
    );
    return lot.quantity;
  });
}

/** The exit-day mark of the closed lot, without run_id and timestamps. */
function exitDayMark(path: string): unknown {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT m.mark_date, m.is_active, m.quantity, m.price, m.price_date, m.price_source, m.market_value, m.prev_price, m.prev_basis,
                m.closed_quantity, m.closing_pnl, m.daily_pnl, m.flags
           FROM position_marks m JOIN positions p ON p.id = m.position_id
          WHERE p.symbol = ? AND m.mark_date = ?`,
      )
      .get(SYMBOL, D);
  } finally {
    db.close();
  }
}

describe('the exit-day mark of a fully closed lot (d.3, e.2)', () => {
  it('is the same whether the run of D starts a chunk or follows earlier dates of it', async () => {
    const seeded = seedDemoDb(SHORT_NOW);
    const closed = closeLotOn(seeded, D);

    // A range through D: the lot is active on the earlier dates of the chunk.
    const range = copyDb(seeded);
    expect((await runDemo(range, SHORT_NOW, { startDate: '2025-06-30' as IsoDate, endDate: D, chunkDays: 30 })).exitCode).toBe(0);
    expect(exitDayMark(range)).toMatchObject({ is_active: 0, quantity: 0, price_source: 'exact', price_date: D, closed_quantity: closed });

    // The same database, D run again on its own: its chunk starts on D.
    const single = copyDb(range);
    expect((await runDemo(single, SHORT_NOW, { targetDate: D, portfolios: [P] })).exitCode).toBe(0);
    expect(exitDayMark(single)).toEqual(exitDayMark(range));
    // The marks, the positions' mark cache and D's missing_prices rows, in the canonical form (m.12).
    expect(diffChecksums(checksumsOf(range, ['position_marks', 'positions', 'missing_prices']), checksumsOf(single, ['position_marks', 'positions', 'missing_prices']))).toEqual([]);
  }, 300_000);
});
