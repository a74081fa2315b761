/**
 * Small real databases for the analytics tests: a temporary SQLite file with the migrations
 * and the reference data (factor definitions, stress scenarios), portfolios and lots written
 * as seed-demo writes them, prices either from the synthetic generator or hand-made, and a
 * helper that runs the whole engine (runBatch) on it with a fixed clock and collects the
 * telemetry events. Nothing here reaches the network.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runOptionsSchema, type RunOptionsInput } from '../../../core/api/run-options';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { lookbackStart } from '../../../core/calendar';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { PositionType } from '../../../core/domain/portfolio';
import { FACTOR_ETFS, type InvestmentClass } from '../../../core/domain/symbols';
import type { EngineDeps } from '../../../core/engine/run-context';
import { runBatch, type RunResult } from '../../../core/engine/run-engine';
import type { EngineStore } from '../../../core/ports/engine-store';
import type { PriceSource, ProfileSource } from '../../../core/ports/market-data';
import { createEngineStore } from '../../../db/engine-store';
import { md5Uuid } from '../../../db/ids';
import { openDatabase, type SqliteDatabase } from '../../../db/open-database';
import { priceRowId } from '../../../db/repositories/price-repository';
import { seedReferenceData } from '../../../host/reference-data';
import { createSyntheticGenerator, type SyntheticGenerator } from '../../../market-data/synthetic';
import { tempDir } from '../temp-dirs';

export interface FixtureLot {
  readonly id?: string;
  readonly symbol: string;
  readonly positionType?: PositionType;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly entryDate: IsoDate;
  readonly investmentClass?: InvestmentClass;
  readonly underlyingSymbol?: string;
  readonly strikePrice?: number;
  readonly expirationDate?: IsoDate;
}

export interface FixturePortfolio {
  readonly id: string;
  readonly name: string;
  readonly equity: number;
  readonly lots: readonly FixtureLot[];
}

export interface FixtureDatabase {
  readonly path: string;
  readonly db: SqliteDatabase;
  readonly store: EngineStore;
  close(): void;
}

const FIXED_NOW_ISO = '2025-06-01T00:00:00.000000Z';

/** A new database file in a fresh temporary directory, migrated, with the reference data seeded. */
export function createFixtureDatabase(): FixtureDatabase {
  const dir = tempDir('batchdesk-analytics-');
  const path = join(dir, 'test.db');
  const db = openDatabase(path);
  db.transaction(() => seedReferenceData(db, FIXED_NOW_ISO))();
  return {
    path,
    db,
    store: createEngineStore(db),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The id a fixture lot gets when it names none. */
export function fixtureLotId(portfolioId: string, index: number): string {
  return md5Uuid(`fixture-lot:${portfolioId}:${index}`);
}

export function insertPortfolios(db: SqliteDatabase, portfolios: readonly FixturePortfolio[]): void {
  db.transaction(() => {
    for (const p of portfolios) {
      const userId = md5Uuid(`fixture-user:${p.id}`);
      db.prepare(`INSERT OR IGNORE INTO users (id, user_key, is_active, created_at, updated_at) VALUES (?, ?, 1, ?, ?)`).run(userId, `user_${p.id}`, FIXED_NOW_ISO, FIXED_NOW_ISO);
      db.prepare(
        `INSERT INTO portfolios (id, user_id, name, account_name, account_type, is_active, description, currency, equity_balance, initial_equity, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'taxable', 1, NULL, 'USD', ?, ?, ?, ?)`,
      ).run(p.id, userId, p.name, p.name, p.equity, p.equity, FIXED_NOW_ISO, FIXED_NOW_ISO);
      p.lots.forEach((l, i) => {
        db.prepare(
          `INSERT INTO positions (id, portfolio_id, symbol, position_type, quantity, entry_price, entry_date, underlying_symbol, strike_price, expiration_date, investment_class, investment_subtype, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
        ).run(
          l.id ?? fixtureLotId(p.id, i),
          p.id,
          l.symbol,
          l.positionType ?? (l.quantity < 0 ? 'SHORT' : 'LONG'),
          l.quantity,
          l.entryPrice,
          l.entryDate,
          l.underlyingSymbol ?? null,
          l.strikePrice ?? null,
          l.expirationDate ?? null,
          l.investmentClass ?? 'PUBLIC',
          FIXED_NOW_ISO,
          FIXED_NOW_ISO,
        );
      });
    }
  })();
}

/** Closes written to market_data_cache as if a source had returned them. */
export function insertPrices(db: SqliteDatabase, symbol: string, rows: readonly { readonly date: IsoDate; readonly close: number }[], source = 'synthetic'): void {
  const ins = db.prepare(`INSERT OR REPLACE INTO market_data_cache (id, symbol, date, close, volume, data_source, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`);
  db.transaction(() => {
    for (const r of rows) ins.run(priceRowId(symbol, r.date), symbol, r.date, r.close, source, FIXED_NOW_ISO, FIXED_NOW_ISO);
  })();
}

export interface FixtureProfile {
  readonly symbol: string;
  readonly sector?: string | null;
  readonly isEtf?: boolean;
  readonly beta?: number | null;
}

export function insertProfiles(db: SqliteDatabase, profiles: readonly FixtureProfile[]): void {
  const ins = db.prepare(
    `INSERT OR REPLACE INTO company_profiles (symbol, company_name, sector, industry, exchange, country, market_cap, description, is_etf, is_fund, beta, data_source, last_updated, created_at, updated_at)
     VALUES (?, ?, ?, NULL, NULL, NULL, NULL, NULL, ?, 0, ?, 'fixture', ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const p of profiles) ins.run(p.symbol, `${p.symbol} (fixture)`, p.sector ?? null, p.isEtf ? 1 : 0, p.beta ?? null, FIXED_NOW_ISO, FIXED_NOW_ISO, FIXED_NOW_ISO);
  })();
}

/** Synthetic closes, profiles and truth rows of the symbols over [start, end], as seed-demo writes them. */
export function insertSyntheticData(db: SqliteDatabase, gen: SyntheticGenerator, symbols: readonly string[], start: IsoDate, end: IsoDate): void {
  const { rows } = gen.priceRows(symbols, start, end);
  const bySymbol = new Map<string, { date: IsoDate; close: number }[]>();
  for (const r of rows) (bySymbol.get(r.symbol) ?? bySymbol.set(r.symbol, []).get(r.symbol)!).push({ date: r.date, close: r.close });
  for (const [s, list] of bySymbol) insertPrices(db, s, list);
  insertProfiles(
    db,
    symbols.flatMap((s) => {
      const p = gen.profile(s);
      return p ? [{ symbol: s, sector: p.sector, isEtf: p.isEtf, beta: p.beta }] : [];
    }),
  );
  const truth = db.prepare(`INSERT OR IGNORE INTO synthetic_truth (symbol, kind, name, value, seed, profile, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const t of gen.truthRows(symbols)) truth.run(t.symbol, t.kind, t.name, t.value, t.seed, t.profile, FIXED_NOW_ISO);
  })();
}

export interface EngineRun {
  readonly result: RunResult;
  readonly events: readonly TelemetryEvent[];
}

/**
 * Runs the engine on the store: clock fixed at `nowIso` (advancing with real time, as
 * BATCHDESK_NOW does), deterministic randomness, the given sources (none: prices come from
 * the cache only), every telemetry event collected.
 */
export async function runEngine(
  store: EngineStore,
  options: RunOptionsInput,
  nowIso: string,
  sources: { priceSources?: readonly PriceSource[]; profileSource?: ProfileSource | null } = {},
): Promise<EngineRun> {
  const events: TelemetryEvent[] = [];
  const pinned = Date.parse(nowIso);
  const started = Date.now();
  let seq = pinned % 2 ** 31;
  const deps: EngineDeps = {
    store,
    clock: { now: () => pinned + (Date.now() - started) },
    random: { next: () => ((seq = (seq * 1103515245 + 12345) % 2 ** 31), seq / 2 ** 31) },
    sinks: [{ name: 'collect', handle: (e) => events.push(e) }],
    priceSources: sources.priceSources ?? [],
    profileSource: sources.profileSource ?? null,
    host: { holder: 'cli', host: 'test-host', pid: 4242, appVersion: 'test', databaseName: 'test.db', isPidAlive: () => false },
    strictTelemetry: true,
  };
  const result = await runBatch(deps, runOptionsSchema.parse(options), { signal: new AbortController().signal });
  return { result, events };
}


export interface SyntheticBookOptions {
  readonly seed?: number;
  readonly profile?: 'realistic' | 'independent';
  /** First processed date; prices start 400 calendar days earlier (as seed-demo does). */
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly portfolios: readonly FixturePortfolio[];
  /** Symbols whose closes the test writes itself (no synthetic prices for them). */
  readonly customPrices?: Readonly<Record<string, readonly { readonly date: IsoDate; readonly close: number }[]>>;
  /** Extra symbols to generate (held by nobody). */
  readonly extraSymbols?: readonly string[];
}

/**
 * Portfolios, lots and prices for an engine run: every public symbol, option underlying and
 * factor ETF gets synthetic closes over [start − 400 days, end] (anchored at the earliest
 * lot's entry price on its entry date, m.8), except the symbols given in customPrices.
 */
export function seedSyntheticBook(db: SqliteDatabase, o: SyntheticBookOptions): SyntheticGenerator {
  const custom = o.customPrices ?? {};
  const symbols = new Set<string>([...FACTOR_ETFS, ...(o.extraSymbols ?? [])]);
  const anchors: Record<string, { date: IsoDate; price: number }> = {};
  for (const p of o.portfolios) {
    for (const l of p.lots) {
      const cls = l.investmentClass ?? 'PUBLIC';
      if (cls === 'PUBLIC') {
        symbols.add(l.symbol);
        const a = anchors[l.symbol];
        if (l.entryPrice > 0 && (!a || l.entryDate < a.date)) anchors[l.symbol] = { date: l.entryDate, price: l.entryPrice };
      } else if (cls === 'OPTIONS' && l.underlyingSymbol) symbols.add(l.underlyingSymbol);
    }
  }
  for (const s of Object.keys(custom)) symbols.delete(s);
  const priceStart = lookbackStart(o.start, 400);
  const gen = createSyntheticGenerator({ seed: o.seed ?? 7, profile: o.profile ?? 'realistic', start: priceStart, end: o.end, symbols: [...symbols], anchors });
  insertSyntheticData(db, gen, [...symbols].sort(), priceStart, o.end);
  for (const [s, rows] of Object.entries(custom)) insertPrices(db, s, rows, 'csv');
  insertPortfolios(db, o.portfolios);
  return gen;
}
