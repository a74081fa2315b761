/**
 * The monitor-only recorder (SPEC.md g.12) on a fake database: what it reports and traces.
 * - The report counts the date-level rows and the portfolio-dates apart, per status; a
 *   portfolio-date whose critical phase failed is `failed`, with the rows computed before the
 *   failure (the engine lets it read them before the rollback); one of a date whose critical
 *   date phase failed is `not_run`, naming that phase, and is not compared.
 * - Every table difference names the rows each column changed in, text and dates included.
 * - With a trace, each date phase (and the analytics symbol stage) gets its own document with
 *   the inputs it read, the rows it computed in its tables, the stored ones and the differences.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { MonitorRecorder } from '../../../core/engine/monitor-recorder';
import type { DerivedRowsReader, RowsByTable } from '../../../core/ports/derived-rows';
import { NO_JSON, type KeyedRow } from '../../../core/validation/canonical-form';

const D = '2025-07-10' as IsoDate;
const row = (key: string, values: KeyedRow['values']): KeyedRow => ({ key, values });

/** A database of comparable rows: the recorder reads whatever it holds at the time. */
class FakeRows implements DerivedRowsReader {
  date: Record<string, KeyedRow[]> = { missing_prices: [], symbol_factor_exposures: [] };
  readonly portfolios = new Map<string, Record<string, KeyedRow[]>>();
  portfolioDate(portfolioId: string): RowsByTable {
    return { ...(this.portfolios.get(portfolioId) ?? {}) };
  }
  dateLevel(): RowsByTable {
    return { ...this.date };
  }
  jsonColumns() {
    return NO_JSON;
  }
}

/** Runs `change` as a rolled-back transaction does: the rows change, the recorder reads them, they are restored. */
function rolledBack(db: FakeRows, recorder: MonitorRecorder, change: () => void): void {
  const before = { date: db.date, portfolios: new Map(db.portfolios) };
  change();
  recorder.beforeRollback();
  db.date = before.date;
  for (const [k, v] of before.portfolios) db.portfolios.set(k, v);
}

describe('MonitorRecorder', () => {
  it('counts the date-level rows and the portfolio-dates apart; a failed portfolio-date keeps the rows computed before the failure', () => {
    const db = new FakeRows();
    db.portfolios.set('same', { position_marks: [row('m1', { price: 10 })] });
    db.portfolios.set('failing', { position_marks: [] });
    const recorder = new MonitorRecorder(db, null, null);
    recorder.beginDate(D);
    rolledBack(db, recorder, () => (db.date = { ...db.date, missing_prices: [row('XYZ', { reason: 'delisted' })] }));
    recorder.beginPortfolio(D, 'same', 'Same');
    rolledBack(db, recorder, () => db.portfolios.set('same', { position_marks: [row('m1', { price: 10 })] }));
    recorder.endPortfolio({}, false);
    recorder.beginPortfolio(D, 'fresh', 'Fresh');
    rolledBack(db, recorder, () => db.portfolios.set('fresh', { position_marks: [row('m2', { price: 5 })] }));
    recorder.endPortfolio({}, false);
    // Marks computed, then snapshots failed: the engine reads the rows before rolling back.
    recorder.beginPortfolio(D, 'failing', 'Failing');
    rolledBack(db, recorder, () => db.portfolios.set('failing', { position_marks: [row('m3', { price: 7 }), row('m4', { price: 8 })] }));
    recorder.endPortfolio({}, true);
    recorder.endDate({}, false);

    const r = recorder.report();
    expect(r.date_level).toEqual({ compared: 1, same: 0, different: 0, new: 1, failed: 0, not_run: 0 });
    expect(r.portfolio_dates).toEqual({ compared: 3, same: 1, different: 0, new: 1, failed: 1, not_run: 0 });
    expect(r.clean).toBe(false);
    const failing = r.entries.find((e) => e.portfolio_id === 'failing')!;
    expect(failing.status).toBe('failed');
    expect(failing.tables).toMatchObject([{ table: 'position_marks', stored_rows: 0, computed_rows: 2, added: 2 }]);
  });

  it('a failed date-level part is failed, and a run where everything is the same is clean', () => {
    const db = new FakeRows();
    const failed = new MonitorRecorder(db, null, null);
    failed.beginDate(D);
    failed.endDate({}, true);
    expect(failed.report()).toMatchObject({ clean: false, date_level: { compared: 1, failed: 1 }, portfolio_dates: { compared: 0 } });
    const same = new MonitorRecorder(db, null, null);
    same.beginDate(D);
    same.endDate({}, false);
    expect(same.report()).toMatchObject({ clean: true, date_level: { compared: 1, same: 1 } });
  });

  it('a portfolio-date of a failed date is not run: not read, not compared, and the run is not clean', () => {
    const db = new FakeRows();
    db.portfolios.set('p', { position_marks: [row('m1', { price: 10 })] });
    const docs = new Map<string, unknown>();
    const recorder = new MonitorRecorder(db, { write: (path, doc) => docs.set(path, doc) }, '/trace');
    recorder.beginDate(D);
    recorder.portfolioNotRun(D, 'p', 'P', 'market_data');
    recorder.endDate({}, true);

    const r = recorder.report();
    expect(r).toMatchObject({ clean: false, entries_compared: 1, totals: { rows_added: 0, rows_removed: 0, rows_changed: 0 } });
    expect(r.date_level).toEqual({ compared: 1, same: 0, different: 0, new: 0, failed: 1, not_run: 0 });
    expect(r.portfolio_dates).toEqual({ compared: 0, same: 0, different: 0, new: 0, failed: 0, not_run: 1 });
    expect(r.entries.find((e) => e.portfolio_id === 'p')).toEqual({ date: D, portfolio_id: 'p', portfolio_name: 'P', status: 'not_run', date_failed_phase: 'market_data', tables: [] });
    expect(docs.get(`${D}/p/summary.json`)).toMatchObject({ status: 'not_run', date_failed_phase: 'market_data', differences: [] });
  });

  it('names the rows each column changed in, text and dates included', () => {
    const db = new FakeRows();
    const mark = (priceDate: string) => ({ 'positions.mark': ['a', 'b', 'c'].map((id) => row(id, { last_price: 10, market_value: 100, price_date: id === 'c' ? '2025-07-10' : priceDate })) });
    db.portfolios.set('p', mark('2025-07-11'));
    const docs = new Map<string, Record<string, unknown>>();
    const recorder = new MonitorRecorder(db, { write: (path, doc) => docs.set(path, doc as Record<string, unknown>) }, '/trace');
    recorder.beginDate(D);
    recorder.beginPortfolio(D, 'p', 'P');
    db.portfolios.set('p', mark('2025-07-10'));
    recorder.afterPhase('marks', {});
    recorder.beforeRollback();
    recorder.endPortfolio({}, false);
    recorder.endDate({}, false);

    const table = recorder.report().entries.find((e) => e.portfolio_id === 'p')!.tables[0]!;
    expect(table).toMatchObject({ table: 'positions.mark', changed: 2, max_abs_diff: { last_price: 0, market_value: 0 }, changed_columns: { price_date: 2 } });
    const traced = (path: string) => (docs.get(path)!['differences'] as { table: string; changedColumns: unknown }[]).find((d) => d.table === 'positions.mark')!.changedColumns;
    expect(traced(`${D}/p/marks.json`)).toEqual({ price_date: 2 });
    expect(traced(`${D}/p/summary.json`)).toEqual({ price_date: 2 });
  });

  it('traces each date phase with the inputs it read and the rows it computed in its own tables', () => {
    const db = new FakeRows();
    db.date = { missing_prices: [], symbol_factor_exposures: [row('AAPL|Market Beta', { beta_value: 1.1 })] };
    const docs = new Map<string, Record<string, unknown>>();
    const recorder = new MonitorRecorder(db, { write: (path, doc) => docs.set(path, doc as Record<string, unknown>) }, '/trace');
    recorder.beginDate(D);
    rolledBack(db, recorder, () => (db.date = { ...db.date, missing_prices: [row('XYZ', { reason: 'delisted' })] }));
    recorder.afterDatePhase('market_data', { symbols: { XYZ: { price: null } } });
    recorder.afterDatePhase('fundamentals', { profiles: { AAPL: null } });
    rolledBack(db, recorder, () => (db.date = { ...db.date, symbol_factor_exposures: [row('AAPL|Market Beta', { beta_value: 1.3 })] }));
    recorder.afterDatePhase('analytics', { symbols: { AAPL: { profile_beta: 1.2 } } });
    recorder.endDate({}, false);

    expect([...docs.keys()].filter((k) => k.startsWith(`${D}/date/`)).sort()).toEqual([`${D}/date/analytics.json`, `${D}/date/fundamentals.json`, `${D}/date/market_data.json`, `${D}/date/summary.json`]);
    const md = docs.get(`${D}/date/market_data.json`)!;
    expect(md).toMatchObject({ date: D, portfolio_id: null, phase: 'market_data', inputs: { symbols: { XYZ: { price: null } } }, outputs: { missing_prices: [row('XYZ', { reason: 'delisted' })] }, stored: { missing_prices: [] } });
    expect(md['differences']).toMatchObject([{ table: 'missing_prices', added: ['XYZ'] }]);
    expect(docs.get(`${D}/date/fundamentals.json`)).toMatchObject({ inputs: { profiles: { AAPL: null } }, outputs: {}, differences: [] });
    const stage = docs.get(`${D}/date/analytics.json`)!;
    expect(stage).toMatchObject({ inputs: { symbols: { AAPL: { profile_beta: 1.2 } } }, outputs: { symbol_factor_exposures: [row('AAPL|Market Beta', { beta_value: 1.3 })] } });
    expect(stage['differences']).toMatchObject([{ table: 'symbol_factor_exposures', changedColumns: { beta_value: 1 } }]);
  });
});
