/**
 * `diagnose prices` (SPEC.md i.2): for each symbol needed on D, whether its close was exact,
 * a fallback or missing, the missing-price reason, the latest known close, the last fetch-log
 * outcome, the lots left without a mark, and suspect prices (jump flags). Symbols no source
 * has ever priced come first (e.6: usually a typo or a renamed ticker).
 */
import { addTradingDays } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { parseSettings } from '../../core/engine/settings';
import { symbolsNeeded, underlyingOf } from '../../core/phases/market-data/symbols-needed';
import { PortfolioDateReader } from '../../db/diagnostics/portfolio-date-inputs';
import { createEngineStore } from '../../db/engine-store';
import type { SqliteDatabase } from '../../db/open-database';
import { reportDate } from './run-dates';
import { latestProcessedDate } from './reconcile';
import { portfoliosIn } from '../../db/portfolio-ids';

export interface SymbolDiagnosis {
  readonly symbol: string;
  readonly resolution: 'exact' | 'fallback' | 'missing';
  readonly close: number | null;
  readonly priceDate: string | null;
  readonly reason: string | null;
  readonly latestKnown: { readonly date: string; readonly close: number } | null;
  readonly lastFetch: { readonly provider: string; readonly outcome: string; readonly requestedAt: string; readonly error: string | null } | null;
  readonly jump: boolean;
  /** No source has ever returned a close for the symbol (e.6: "never priced: check the symbol"). */
  readonly neverPriced: boolean;
  readonly positions: number;
  readonly portfolios: number;
}

export interface PriceDiagnosis {
  readonly date: string | null;
  readonly symbols: readonly SymbolDiagnosis[];
  readonly unmarkedLots: readonly { readonly portfolioId: string; readonly portfolioName: string; readonly positionId: string; readonly symbol: string; readonly reason: string }[];
  readonly counts: { readonly exact: number; readonly fallback: number; readonly missing: number; readonly suspect: number };
}

export function diagnosePrices(db: SqliteDatabase, args: { date: IsoDate | null; portfolioIds: readonly string[] }): PriceDiagnosis {
  const portfolios = portfoliosIn(db, args.portfolioIds);
  const date = reportDate(args.date) ?? latestProcessedDate(db);
  if (!date) return { date: null, symbols: [], unmarkedLots: [], counts: { exact: 0, fallback: 0, missing: 0, suspect: 0 } };
  const settings = parseSettings(createEngineStore(db).loadSettings(), ['market_data.fetch_option_contracts', 'marks.fallback_trading_days']);
  const reader = new PortfolioDateReader(db);
  const lots = portfolios.flatMap((p) => [...reader.lotsOf(p.id)]);
  const needed = symbolsNeeded(lots, date, settings['market_data.fetch_option_contracts']);
  const fallbackFrom = addTradingDays(date, -settings['marks.fallback_trading_days']);
  const exactQ = db.prepare(`SELECT close, validation_flag FROM market_data_cache WHERE symbol = ? AND date = ?`);
  const fallbackQ = db.prepare(`SELECT close, date FROM market_data_cache WHERE symbol = ? AND date < ? AND date >= ? AND close > 0 ORDER BY date DESC LIMIT 1`);
  const latestQ = db.prepare(`SELECT close, date FROM market_data_cache WHERE symbol = ? AND date <= ? AND close > 0 ORDER BY date DESC LIMIT 1`);
  const missingQ = db.prepare(`SELECT reason FROM missing_prices WHERE price_date = ? AND symbol = ?`);
  const fetchQ = db.prepare(`SELECT provider, outcome, requested_at, error FROM market_data_fetch_log WHERE symbol = ? ORDER BY requested_at DESC, id DESC LIMIT 1`);
  const pricedQ = db.prepare(`SELECT 1 FROM market_data_cache WHERE symbol = ? LIMIT 1`);
  const symbols: SymbolDiagnosis[] = [...needed.entries()]
    .map(([symbol, need]): SymbolDiagnosis => {
      const exact = exactQ.get(symbol, date) as { close: number; validation_flag: string | null } | undefined;
      const fb = exact ? undefined : (fallbackQ.get(symbol, date, fallbackFrom) as { close: number; date: string } | undefined);
      const latest = latestQ.get(symbol, date) as { close: number; date: string } | undefined;
      const fetch = fetchQ.get(symbol) as { provider: string; outcome: string; requested_at: string; error: string | null } | undefined;
      const missing = missingQ.get(date, symbol) as { reason: string } | undefined;
      return {
        symbol,
        resolution: exact ? 'exact' : fb ? 'fallback' : 'missing',
        close: exact?.close ?? fb?.close ?? null,
        priceDate: exact ? date : (fb?.date ?? null),
        reason: missing?.reason ?? (exact ? null : fb ? 'no_data' : 'stale_beyond_fallback'),
        latestKnown: latest ? { date: latest.date, close: latest.close } : null,
        lastFetch: fetch ? { provider: fetch.provider, outcome: fetch.outcome, requestedAt: fetch.requested_at, error: fetch.error } : null,
        jump: exact?.validation_flag === 'jump',
        neverPriced: pricedQ.get(symbol) === undefined,
        positions: need.positions,
        portfolios: need.portfolios.size,
      };
    })
    .sort((a, b) => Number(b.neverPriced) - Number(a.neverPriced) || (a.symbol < b.symbol ? -1 : 1));
  const unmarkedLots: PriceDiagnosis['unmarkedLots'][number][] = [];
  for (const p of portfolios) {
    const marks = reader.marks(p.id, date);
    for (const l of reader.reconcileLots(p.id, date, marks)) {
      if (l.mark === null) unmarkedLots.push({ portfolioId: p.id, portfolioName: p.name, positionId: l.positionId, symbol: l.symbol, reason: 'no mark row for the date' });
      else if (l.mark.priceSource === 'missing') {
        const lot = reader.lotsOf(p.id).find((x) => x.id === l.positionId)!;
        const sym = lot.investmentClass === 'OPTIONS' ? (underlyingOf(lot) ?? lot.symbol) : lot.symbol;
        unmarkedLots.push({ portfolioId: p.id, portfolioName: p.name, positionId: l.positionId, symbol: l.symbol, reason: `no price for ${sym} (${symbols.find((s) => s.symbol === sym)?.reason ?? 'missing'})` });
      }
    }
  }
  return {
    date,
    symbols,
    unmarkedLots,
    counts: {
      exact: symbols.filter((s) => s.resolution === 'exact').length,
      fallback: symbols.filter((s) => s.resolution === 'fallback').length,
      missing: symbols.filter((s) => s.resolution === 'missing').length,
      suspect: symbols.filter((s) => s.jump).length,
    },
  };
}
