/**
 * The price cache, the fetch log, missing-price records and profile upserts (SPEC.md b.2,
 * e.3, e.4, m.13). Stored rows are merged, never purged: a short or empty answer deletes
 * nothing; a different valid close replaces the stored one (provider corrections); a
 * flagged jump never replaces a stored valid close; synthetic data never overwrites a
 * close from another source (m.8); an unchanged close and volume keep the stored row as it
 * is, data_source included (m.14), except for its jump flag when the validation re-evaluated it
 * (its previous close changed, e.4). Writes go in batches of 1,000 rows per transaction, or
 * in the caller's transaction when there is one (an import's).
 *
 * A fetched profile replaces the stored one, except that a field the provider left empty
 * keeps its stored value (a fund's answer without assetProfile does not erase its sector).
 */
import type { IsoDate } from '../../core/domain/iso-date';
import type { CompanyProfile } from '../../core/ports/market-data';
import type { FetchLogEntry, MergeResult, PriceStore, StoredPrice } from '../../core/ports/store';
import { datedRowId } from '../ids';
import type { SqliteDatabase } from '../open-database';
import { statementCache } from '../statement-cache';
import { inList } from '../sql-lists';

const BATCH = 1000;

/** A stored cache row, as the merge compares it with a quote. */
interface StoredRow {
  readonly date: IsoDate;
  readonly close: number;
  readonly volume: number | null;
  readonly data_source: string;
  readonly validation_flag: string | null;
}

/** Deterministic cache row id, so identical data gives identical rows whatever the source. */
export const priceRowId = (symbol: string, date: string): string => datedRowId(date, `market_data_cache:${symbol}:${date}`);

export function priceRepository(db: SqliteDatabase): PriceStore {
  const sql = statementCache(db);
  const existing = sql(`SELECT date, close, volume, data_source, validation_flag FROM market_data_cache WHERE symbol = ? AND date >= ? AND date <= ?`);
  const insert = sql(
    `INSERT INTO market_data_cache (id, symbol, date, open, high, low, close, volume, data_source, validation_flag, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = sql(
    `UPDATE market_data_cache SET open = ?, high = ?, low = ?, close = ?, volume = ?, data_source = ?, validation_flag = ?, updated_at = ? WHERE symbol = ? AND date = ?`,
  );
  // A flag re-evaluated on an unchanged close (its previous close was corrected): the row stays, data_source included.
  const reflag = sql(`UPDATE market_data_cache SET validation_flag = ?, updated_at = ? WHERE symbol = ? AND date = ?`);
  const logInsert = sql(
    `INSERT INTO market_data_fetch_log (symbol, provider, range_start, range_end, requested_at, outcome, rows_returned, first_trade_date, error, run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    loadPrices(symbols, start, end) {
      if (symbols.length === 0) return [];
      const rows = db
        .prepare(`SELECT symbol, date, close, validation_flag FROM market_data_cache WHERE date >= ? AND date <= ? AND symbol IN (${inList(symbols)})`)
        .raw()
        .all(start, end, ...symbols) as [string, IsoDate, number, string | null][];
      return rows.map((r): StoredPrice => ({ symbol: r[0], date: r[1], close: r[2], jump: r[3] === 'jump' }));
    },
    mergeQuotes(symbol, source, quotes, nowIso): MergeResult {
      const result: { -readonly [K in keyof MergeResult]: MergeResult[K] } = { inserted: 0, updated: 0, unchanged: 0, keptStored: 0, earliestChange: null };
      const changed = (d: IsoDate) => {
        if (result.earliestChange === null || d < result.earliestChange) result.earliestChange = d;
      };
      if (quotes.length === 0) return result;
      // The stored rows of the quotes' range, read in one go (an import brings a million quotes).
      let first = quotes[0]!.date;
      let last = first;
      for (const q of quotes) {
        if (q.date < first) first = q.date;
        if (q.date > last) last = q.date;
      }
      const stored = new Map((existing.all(symbol, first, last) as StoredRow[]).map((r) => [r.date, r]));
      // Inside a caller's transaction (an import's one), a savepoint per batch would only make
      // SQLite copy every page the batch touches first: the caller's transaction is the unit.
      const inBatch = db.inTransaction ? (fn: () => void) => fn() : (fn: () => void) => db.transaction(fn)();
      for (let i = 0; i < quotes.length; i += BATCH) {
        const batch = quotes.slice(i, i + BATCH);
        inBatch(() => {
          for (const q of batch) {
            const flag = q.jump ? 'jump' : null;
            const cur = stored.get(q.date);
            if (!cur) {
              insert.run(priceRowId(symbol, q.date), symbol, q.date, q.open, q.high, q.low, q.close, q.volume, source, flag, nowIso, nowIso);
              stored.set(q.date, { date: q.date, close: q.close, volume: q.volume, data_source: source, validation_flag: flag });
              result.inserted++;
              changed(q.date);
            } else if (cur.close === q.close && (q.volume === null || cur.volume === q.volume) && cur.validation_flag === flag) {
              result.unchanged++;
            } else if (cur.close === q.close && (q.volume === null || cur.volume === q.volume)) {
              reflag.run(flag, nowIso, symbol, q.date);
              stored.set(q.date, { ...cur, validation_flag: flag });
              result.updated++;
              changed(q.date);
            } else if ((q.jump && cur.close !== q.close && cur.validation_flag !== 'jump' && Number.isFinite(cur.close) && cur.close > 0) || (source === 'synthetic' && cur.data_source !== 'synthetic')) {
              result.keptStored++;
            } else {
              update.run(q.open, q.high, q.low, q.close, q.volume ?? cur.volume, source, flag, nowIso, symbol, q.date);
              stored.set(q.date, { date: q.date, close: q.close, volume: q.volume ?? cur.volume, data_source: source, validation_flag: flag });
              result.updated++;
              if (cur.close !== q.close || cur.validation_flag !== flag) changed(q.date);
            }
          }
        });
      }
      return result;
    },
    appendFetchLog(e) {
      logInsert.run(e.symbol, e.provider, e.rangeStart, e.rangeEnd, e.requestedAt, e.outcome, e.rowsReturned, e.firstTradeDate, e.error, e.runId);
    },
    loadFetchLog(symbols) {
      if (symbols.length === 0) return [];
      return (
        db
          .prepare(
            `SELECT symbol, provider, range_start, range_end, requested_at, outcome, rows_returned, first_trade_date, error, run_id FROM market_data_fetch_log WHERE symbol IN (${inList(symbols)}) ORDER BY id`,
          )
          .all(...symbols) as Record<string, unknown>[]
      ).map(
        (r): FetchLogEntry => ({
          symbol: r['symbol'] as string,
          provider: r['provider'] as FetchLogEntry['provider'],
          rangeStart: r['range_start'] as IsoDate,
          rangeEnd: r['range_end'] as IsoDate,
          requestedAt: r['requested_at'] as string,
          outcome: r['outcome'] as FetchLogEntry['outcome'],
          rowsReturned: (r['rows_returned'] as number | null) ?? 0,
          firstTradeDate: (r['first_trade_date'] as IsoDate | null) ?? null,
          error: (r['error'] as string | null) ?? null,
          runId: (r['run_id'] as string | null) ?? null,
        }),
      );
    },
    replaceMissingPrices(date, rows, keepSymbols, runId, nowIso) {
      sql(`DELETE FROM missing_prices WHERE price_date = ? AND symbol NOT IN (SELECT value FROM json_each(?))`).run(date, JSON.stringify([...keepSymbols]));
      const ins = sql(
        `INSERT INTO missing_prices (price_date, symbol, reason, resolution, fallback_price_date, last_known_price_date, provider, detail, positions_affected, portfolios_affected, run_id, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of rows) {
        ins.run(r.priceDate, r.symbol, r.reason, r.resolution, r.fallbackPriceDate, r.lastKnownPriceDate, r.provider, r.detail, r.positionsAffected, r.portfoliosAffected, runId, nowIso);
      }
    },
    missingPriceSymbols(date) {
      return new Set((sql(`SELECT symbol FROM missing_prices WHERE price_date = ?`).all(date) as { symbol: string }[]).map((r) => r.symbol));
    },
    upsertProfile(p: CompanyProfile, nowIso) {
      sql(
        `INSERT INTO company_profiles (symbol, company_name, sector, industry, exchange, country, market_cap, description, is_etf, is_fund, beta, pe_ratio, forward_pe,
           dividend_yield, week_52_high, week_52_low, employees, website, data_source, last_updated, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(symbol) DO UPDATE SET
           company_name = coalesce(excluded.company_name, company_profiles.company_name),
           sector = coalesce(excluded.sector, company_profiles.sector),
           industry = coalesce(excluded.industry, company_profiles.industry),
           exchange = coalesce(excluded.exchange, company_profiles.exchange),
           country = coalesce(excluded.country, company_profiles.country),
           market_cap = coalesce(excluded.market_cap, company_profiles.market_cap),
           description = coalesce(excluded.description, company_profiles.description),
           beta = coalesce(excluded.beta, company_profiles.beta),
           pe_ratio = coalesce(excluded.pe_ratio, company_profiles.pe_ratio),
           forward_pe = coalesce(excluded.forward_pe, company_profiles.forward_pe),
           dividend_yield = coalesce(excluded.dividend_yield, company_profiles.dividend_yield),
           week_52_high = coalesce(excluded.week_52_high, company_profiles.week_52_high),
           week_52_low = coalesce(excluded.week_52_low, company_profiles.week_52_low),
           employees = coalesce(excluded.employees, company_profiles.employees),
           website = coalesce(excluded.website, company_profiles.website),
           is_etf = excluded.is_etf,
           is_fund = excluded.is_fund,
           data_source = excluded.data_source,
           last_updated = excluded.last_updated,
           updated_at = excluded.updated_at`,
      ).run(
        p.symbol, p.companyName, p.sector, p.industry, p.exchange, p.country, p.marketCap, p.description?.slice(0, 1000) ?? null,
        p.isEtf ? 1 : 0, p.isFund ? 1 : 0, p.beta, p.peRatio, p.forwardPe, p.dividendYield, p.week52High, p.week52Low,
        p.employees, p.website, p.dataSource, nowIso, nowIso, nowIso,
      );
    },
  };
}
