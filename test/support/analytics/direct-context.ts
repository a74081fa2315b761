/**
 * Engine contexts built by hand for the analytics unit tests: a RunContext over a real store
 * with in-memory lots and a price table filled by the test, and the DateContext of one date.
 * This bypasses the planner and the day loop, so a test can call prepareSymbolStage or a job
 * directly and look at exactly what it wrote.
 */
import { runOptionsSchema } from '../../../core/api/run-options';
import { tradingDaysBetween } from '../../../core/calendar';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { LotMark } from '../../../core/domain/mark';
import type { Lot } from '../../../core/domain/portfolio';
import type { DateContext, PortfolioDateContext, RunContext } from '../../../core/engine/phase-types';
import { PriceTable } from '../../../core/engine/price-table';
import { createRunContext } from '../../../core/engine/run-context';
import { parseEngineSettings } from '../../../core/engine/settings';
import type { EngineStore } from '../../../core/ports/engine-store';
import { analyticsDateCache } from '../../../core/phases/analytics/analytics-date-cache';
import type { JobContext } from '../../../core/phases/analytics/job-types';
import type { SnapshotRecord } from '../../../core/ports/store';
import { createTelemetry } from '../../../core/telemetry/record-metric';

export interface DirectRunOptions {
  readonly lots: readonly Lot[];
  readonly prices: PriceTable;
  readonly monitorOnly?: boolean;
  readonly settings?: Record<string, unknown>;
  /** Epoch ms of the clock (fixed). */
  readonly nowMs?: number;
}

export function directRunContext(store: EngineStore, o: DirectRunOptions): RunContext {
  const clock = { now: () => o.nowMs ?? Date.parse('2025-12-31T23:00:00Z') };
  const portfolios = store.listPortfolios();
  const lotsByPortfolio = new Map<string, Lot[]>();
  for (const l of o.lots) (lotsByPortfolio.get(l.portfolioId) ?? lotsByPortfolio.set(l.portfolioId, []).get(l.portfolioId)!).push(l);
  const run = createRunContext({
    deps: {
      store,
      clock,
      random: { next: () => 0.5 },
      sinks: [],
      priceSources: [],
      profileSource: null,
      host: { holder: 'cli', host: 'test-host', pid: 1, appVersion: 'test', databaseName: 'test.db', isPidAlive: () => false },
    },
    options: runOptionsSchema.parse({ monitorOnly: o.monitorOnly ?? false }),
    settings: parseEngineSettings(o.settings ?? {}),
    inputs: { portfolios, lotsByPortfolio, eventsByLot: new Map(), equityChangesByPortfolio: new Map() },
    telemetry: createTelemetry({ clock, sinks: [], strict: true }),
    runId: '00000000-0000-4000-8000-000000000001',
    batchRunId: 'batch_test',
    signal: new AbortController().signal,
    neededSymbols: [],
  });
  run.prices = o.prices;
  return run;
}

export function directDateContext(run: RunContext, date: IsoDate, portfolioIds: readonly string[]): DateContext {
  return { run, date, chunkIndex: 0, portfolioIds, datePhases: [], shared: new Map() };
}

/** A price table over [start, end] with each series' closes on consecutive trading days from `start`. */
export function priceTableFrom(start: IsoDate, end: IsoDate, series: Readonly<Record<string, ArrayLike<number>>>): PriceTable {
  const days = tradingDaysBetween(start, end);
  const t = new PriceTable(start, end);
  for (const [symbol, closes] of Object.entries(series)) {
    t.declare([symbol]);
    for (let i = 0; i < Math.min(days.length, closes.length); i++) t.set(symbol, days[i]!, closes[i]!);
  }
  return t;
}

/** A public LONG/SHORT lot for in-memory contexts. */
export function testLot(portfolioId: string, id: string, symbol: string, quantity: number, entryDate: IsoDate, overrides: Partial<Lot> = {}): Lot {
  return {
    id,
    portfolioId,
    symbol,
    positionType: quantity < 0 ? 'SHORT' : 'LONG',
    quantity,
    entryPrice: 100,
    entryDate,
    exitDate: null,
    underlyingSymbol: null,
    strikePrice: null,
    expirationDate: null,
    investmentClass: 'PUBLIC',
    ...overrides,
  };
}

/** A mark of D as the marks phase writes it for a public lot priced exactly (no Greeks). */
export function testMark(lot: Lot, date: IsoDate, price: number | null, source: LotMark['priceSource'] = price === null ? 'missing' : 'exact'): LotMark {
  const multiplier = lot.investmentClass === 'OPTIONS' ? 100 : 1;
  const mv = price === null ? null : lot.quantity * price * multiplier;
  return {
    positionId: lot.id,
    portfolioId: lot.portfolioId,
    markDate: date,
    isActive: true,
    quantity: lot.quantity,
    multiplier,
    price,
    priceDate: price === null ? null : date,
    priceSource: source,
    marketValue: mv,
    costBasis: lot.quantity * lot.entryPrice * multiplier,
    unrealizedPnl: mv === null ? null : mv - lot.quantity * lot.entryPrice * multiplier,
    prevPrice: null,
    prevPriceDate: null,
    prevBasis: 'none',
    closedQuantity: 0,
    closingPnl: 0,
    dailyPnl: 0,
    underlyingPrice: null,
    underlyingPriceDate: null,
    impliedVol: null,
    riskFreeRate: null,
    timeToExpiry: null,
    delta: null,
    gamma: null,
    theta: null,
    vega: null,
    flags: [],
  };
}

/** A snapshot record with the given equity and exposures (the fields the jobs read). */
export function testSnapshot(portfolioId: string, date: IsoDate, equity: number, exposures: { gross: number; net: number }): SnapshotRecord {
  return {
    portfolioId,
    snapshotDate: date,
    totalValue: equity,
    cashValue: equity - exposures.net,
    longValue: Math.max(0, exposures.net),
    shortValue: Math.min(0, exposures.net),
    grossExposure: exposures.gross,
    netExposure: exposures.net,
    dailyPnl: 0,
    cumulativePnl: 0,
    cumulativePnlRaw: 0,
    cumulativeRealizedPnl: 0,
    cumulativeCapitalFlow: 0,
    equityBalance: equity,
    numPositions: 0,
    isBaseline: false,
  };
}

/** The JobContext the runner would build for a portfolio of the date context. */
export function testJobContext(dateCtx: DateContext, portfolioId: string, marks: readonly LotMark[], snapshot: SnapshotRecord): JobContext {
  const run = dateCtx.run;
  const portfolio = run.portfolios.get(portfolioId);
  if (!portfolio) throw new Error(`no portfolio ${portfolioId} in the store`);
  const lots = run.lotsByPortfolio.get(portfolioId) ?? [];
  const pd: PortfolioDateContext = { run, date: dateCtx.date, dateContext: dateCtx, portfolio, lots, state: {}, selected: new Set(['analytics']) };
  return { pd, marks, lotsById: new Map(lots.map((l) => [l.id, l])), snapshot, nowIso: run.nowIso(), cache: analyticsDateCache(dateCtx) };
}
