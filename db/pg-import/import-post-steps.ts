/**
 * Post-steps of an import (SPEC.md j.7), run inside the same atomic unit as the load:
 *
 * 1. foreign keys: `PRAGMA foreign_key_check`; orphan rows are deleted (repeatedly, since a
 *    deletion can orphan children) and reported; --strict fails instead;
 * 2. initial_equity of imported portfolios: the first snapshot's equity_balance − daily_pnl −
 *    daily_capital_flow (the equity before its first processed date), else equity_balance;
 *    is_baseline = 1 on each imported portfolio's first snapshot;
 * 3. mark bootstrap: for each portfolio with imported snapshots, marks (d.2) for its latest
 *    snapshot date from the imported price cache, with daily_pnl = 0 and the flag
 *    `bootstrap`; the positions.mark columns are set from them (where that date is on or
 *    after the lot's marked_as_of); a merge leaves a portfolio-date that has marks already
 *    alone (the local batch's marks, and the cache set from them, stay);
 * 4. missing factor definitions and stress scenarios are seeded (by the host's seeder);
 * 5. `PRAGMA integrity_check`.
 */
import { addCalendarDays, type IsoDate } from '../../core/domain/iso-date';
import type { LotMark } from '../../core/domain/mark';
import { isActiveOn } from '../../core/domain/portfolio';
import { markLot } from '../../core/calc/lot-mark';
import { lotAsOf } from '../../core/calc/lot-quantity';
import { PriceTable } from '../../core/engine/price-table';
import { parseEngineSettings } from '../../core/engine/settings';
import type { SqliteDatabase } from '../open-database';
import { markRepository } from '../repositories/mark-repository';
import { referenceRepository } from '../repositories/reference-repository';
import { inList } from '../sql-lists';
import { DumpError } from './dump-error';
import type { ImportReport } from './import-report';

/** A row deleted as an orphan: its table, its key (the primary key's values) and the reference that had no row. */
export interface DeletedOrphan {
  readonly table: string;
  readonly row: string;
  readonly detail: string;
}

/**
 * Deletes rows that violate foreign keys until none are left (a deletion can orphan children);
 * returns each deleted row with what it pointed at (`portfolio_id a1...04: no such portfolios
 * row`), so the report names them.
 */
export function deleteOrphans(db: SqliteDatabase, strict: boolean): DeletedOrphan[] {
  const deleted: DeletedOrphan[] = [];
  const describe = orphanDescriber(db);
  for (let pass = 0; pass < 20; pass++) {
    const rows = db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number | null; parent: string; fkid: number }[];
    if (rows.length === 0) return deleted;
    if (strict) {
      const first = rows[0]!;
      throw new DumpError('bad_copy_row', `--strict: ${rows.length} row(s) reference missing rows (first: ${first.table} row ${first.rowid} → ${first.parent})`, {
        table: first.table,
      });
    }
    for (const r of rows) {
      if (r.rowid === null) continue;
      const described = describe({ ...r, rowid: r.rowid });
      if (db.prepare(`DELETE FROM "${r.table}" WHERE rowid = ?`).run(r.rowid).changes > 0) deleted.push(described);
    }
  }
  throw new DumpError('bad_copy_row', 'foreign-key clean-up did not converge after 20 passes');
}

/**
 * Reads an orphan row's key and the reference it breaks, before it is deleted: the key and
 * reference columns of each (table, foreign key) and the statement that reads them are looked up
 * once, however many of its rows are orphans.
 */
function orphanDescriber(db: SqliteDatabase): (r: { table: string; rowid: number; parent: string; fkid: number }) => DeletedOrphan {
  // Column names from PRAGMA output of our own schema, quoted.
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  const shapes = new Map<string, { pk: string[]; fk: string[]; read: ((rowid: number) => Record<string, unknown> | undefined) | null }>();
  const shapeOf = (r: { table: string; fkid: number }) => {
    const k = `${r.table}\u0000${r.fkid}`;
    let shape = shapes.get(k);
    if (!shape) {
      const columns = db.prepare(`PRAGMA table_info("${r.table}")`).all() as { name: string; pk: number }[];
      const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const fk = (db.prepare(`PRAGMA foreign_key_list("${r.table}")`).all() as { id: number; from: string }[]).filter((f) => f.id === r.fkid).map((f) => f.from);
      const wanted = [...new Set([...pk, ...fk])];
      const stmt = wanted.length ? db.prepare(`SELECT ${wanted.map(q).join(', ')} FROM "${r.table}" WHERE rowid = ?`) : null;
      shape = { pk, fk, read: stmt ? (rowid) => stmt.get(rowid) as Record<string, unknown> | undefined : null };
      shapes.set(k, shape);
    }
    return shape;
  };
  return (r) => {
    const { pk, fk, read } = shapeOf(r);
    const values = read ? read(r.rowid) : undefined;
    const key = pk.length && values ? pk.map((c) => String(values[c])).join('/') : `rowid ${r.rowid}`;
    const refs = fk.map((c) => `${c} ${String(values?.[c] ?? null)}`).join(', ');
    return { table: r.table, row: key, detail: `${refs ? `${refs}: ` : ''}no such ${r.parent} row` };
  };
}

/** Sets initial_equity and the baseline snapshot of the given (imported) portfolios. */
export function setInitialEquity(db: SqliteDatabase, portfolioIds: readonly string[]): { initialEquitySet: number; baselinesSet: number } {
  let initialEquitySet = 0;
  let baselinesSet = 0;
  const first = db.prepare(
    `SELECT id, COALESCE(equity_balance, total_value) AS equity, COALESCE(daily_pnl, 0) AS pnl, COALESCE(daily_capital_flow, 0) AS flow
     FROM portfolio_snapshots WHERE portfolio_id = ? ORDER BY snapshot_date LIMIT 1`,
  );
  const setEquity = db.prepare(`UPDATE portfolios SET initial_equity = ? WHERE id = ?`);
  const setFromBalance = db.prepare(`UPDATE portfolios SET initial_equity = equity_balance WHERE id = ? AND equity_balance IS NOT NULL`);
  const setBaseline = db.prepare(`UPDATE portfolio_snapshots SET is_baseline = 1 WHERE id = ?`);
  for (const id of portfolioIds) {
    const f = first.get(id) as { id: string; equity: number | null; pnl: number; flow: number } | undefined;
    if (f && f.equity !== null) {
      initialEquitySet += setEquity.run(f.equity - f.pnl - f.flow, id).changes;
      baselinesSet += setBaseline.run(f.id).changes;
    } else {
      initialEquitySet += setFromBalance.run(id).changes;
    }
  }
  return { initialEquitySet, baselinesSet };
}

function readSettings(db: SqliteDatabase) {
  const stored: Record<string, unknown> = {};
  for (const r of db.prepare(`SELECT key, value FROM settings`).all() as { key: string; value: string }[]) {
    try {
      stored[r.key] = JSON.parse(r.value);
    } catch {
      /* a bad setting falls back to its default */
    }
  }
  return parseEngineSettings(stored);
}

/**
 * Bootstrap marks on each portfolio's latest snapshot date (daily_pnl 0, flag bootstrap). With
 * `keepExistingMarks` (a merge) a portfolio whose latest date has marks already is skipped.
 */
export function bootstrapMarks(
  db: SqliteDatabase,
  portfolioIds: readonly string[],
  runId: string,
  nowIso: string,
  options: { readonly keepExistingMarks: boolean },
): ImportReport['postSteps']['marksBootstrapped'] {
  const out: ImportReport['postSteps']['marksBootstrapped'] = [];
  if (portfolioIds.length === 0) return out;
  const settings = readSettings(db);
  const refs = referenceRepository(db);
  const marks = markRepository(db);
  const latest = db.prepare(`SELECT MAX(snapshot_date) AS d FROM portfolio_snapshots WHERE portfolio_id = ?`);
  for (const pid of portfolioIds) {
    const d = (latest.get(pid) as { d: IsoDate | null }).d;
    if (d === null || (options.keepExistingMarks && marks.hasMarks(pid, d))) continue;
    const lots = refs.loadLots([pid]);
    const events = refs.loadRealizedEvents([pid]);
    const byLot = new Map<string, typeof events>();
    for (const e of events) {
      const list = byLot.get(e.positionId) ?? [];
      list.push(e);
      byLot.set(e.positionId, list);
    }
    const considered = lots.filter((lot) => lot.entryDate <= d && (isActiveOn(lot, d) || (byLot.get(lot.id) ?? []).some((e) => e.tradeDate === d)));
    const symbols = new Set<string>();
    for (const l of considered) {
      symbols.add(l.symbol);
      if (l.underlyingSymbol) symbols.add(l.underlyingSymbol);
    }
    const prices = new PriceTable(addCalendarDays(d, -60), d);
    prices.declare(symbols);
    if (symbols.size > 0) {
      const list = [...symbols];
      const rows = db
        .prepare(`SELECT symbol, date, close FROM market_data_cache WHERE symbol IN (${inList(list)}) AND date BETWEEN ? AND ?`)
        .all(...list, addCalendarDays(d, -60), d) as { symbol: string; date: IsoDate; close: number }[];
      for (const r of rows) prices.set(r.symbol, r.date, r.close);
    }
    const result: LotMark[] = [];
    for (const lot of considered) {
      const asOf = lotAsOf(lot, byLot.get(lot.id) ?? [], d);
      if (!asOf.ok) continue;
      const m = markLot({
        lot,
        asOf,
        d,
        prices,
        settings: { fallbackTradingDays: settings['marks.fallback_trading_days'], impliedVol: settings['options.implied_vol'], riskFreeRate: settings['options.risk_free_rate'] },
        previousMark: null,
        baseline: d,
        firstMarkPrice: null,
      });
      result.push({ ...m, dailyPnl: 0, closingPnl: 0, flags: [...m.flags, 'bootstrap'] });
    }
    marks.replaceMarks(pid, d, result, runId, nowIso);
    out.push({ portfolio: pid, date: d, marks: result.length, missing: result.filter((m) => m.priceSource === 'missing').length });
  }
  return out;
}

export function integrityCheck(db: SqliteDatabase): string {
  const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}
