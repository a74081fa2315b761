/**
 * seed-demo (SPEC.md j.6, m.7, m.8): the five demo portfolios with their fixed ids, the
 * reference data, and (prices = synthetic) deterministic prices, profiles and known betas
 * over [start − 400 days, end]. All of it in one transaction. Re-seeding updates in place and
 * deletes nothing; once the database has snapshots, equity and derived rows are left alone;
 * an unchanged file changes nothing. --reset starts the demo over.
 */
import { z } from 'zod';
import { usageError } from '../core/api/errors';
import { syntheticSeedSchema } from '../core/api/run-options';
import { lookbackStart } from '../core/calendar';
import { DEMO_PORTFOLIOS, DEMO_START_DATE } from '../core/data/demo-portfolios';
import { calendarDateSchema } from '../core/calendar/calendar-range-error';
import type { IsoDate } from '../core/domain/iso-date';
import { FACTOR_ETFS, isOptionContractSymbol, isPrivateLookingSymbol } from '../core/domain/symbols';
import { settleInstantMs } from '../core/phases/market-data/settle-time';
import { formatTimestamp } from '../core/domain/timestamp';
import type { SqliteDatabase } from '../db/open-database';
import { inList } from '../db/sql-lists';
import { priceRowId } from '../db/repositories/price-repository';
import { createSyntheticGenerator, type SyntheticConfigInput } from '../market-data/synthetic';
import { seedReferenceData } from './reference-data';

export const seedDemoOptionsSchema = z
  .object({
    prices: z.enum(['synthetic', 'online', 'none']).default('synthetic'),
    seed: syntheticSeedSchema.default(42),
    profile: z.enum(['realistic', 'independent']).default('realistic'),
    startDate: calendarDateSchema.default(DEMO_START_DATE as IsoDate),
    endDate: calendarDateSchema,
    reset: z.boolean().default(false),
  })
  .refine((o) => o.startDate <= o.endDate, { message: 'the end date is before the start date', path: ['endDate'] })
  // The lots enter on the demo's entry date (their ids derive from it), so a backfill starts there and needs prices from then on.
  .refine((o) => o.startDate <= DEMO_START_DATE, {
    message: `is after the demo's entry date ${DEMO_START_DATE}: its lots enter then and a backfill starts there, so its prices must too; seed without it, then \`batchdesk run --start-date <date>\` backfills from a later date`,
    path: ['startDate'],
  });
export type SeedDemoOptions = z.infer<typeof seedDemoOptionsSchema>;

export interface SeedDemoResult {
  readonly portfolios: number;
  readonly positions: number;
  readonly positionsAdded: number;
  readonly usersAdded: number;
  readonly factorsAdded: number;
  readonly scenariosAdded: number;
  readonly symbols: number;
  readonly priceRowsAdded: number;
  readonly priceRange: { start: IsoDate; end: IsoDate } | null;
  readonly reset: boolean;
  /**
   * When every demo portfolio already has snapshots (a re-seed of a backfilled file): the
   * earliest of their latest snapshot dates, after which the automatic range continues. Null
   * when a demo portfolio has none, so the automatic range starts at the entry date.
   */
  readonly backfilledThrough: IsoDate | null;
}

function backfilledThrough(db: SqliteDatabase): IsoDate | null {
  const latest = db.prepare(`SELECT max(snapshot_date) AS d FROM portfolio_snapshots WHERE portfolio_id = ?`);
  const dates = DEMO_PORTFOLIOS.map((p) => (latest.get(p.portfolio_id_deterministic) as { d: IsoDate | null }).d);
  return dates.some((d) => d === null) ? null : (dates as IsoDate[]).sort()[0]!;
}

/** Symbols the demo needs prices for: public lots, option underlyings and the factor ETFs. */
export function demoSymbols(): string[] {
  const out = new Set<string>(FACTOR_ETFS);
  for (const p of DEMO_PORTFOLIOS) {
    for (const pos of p.positions) {
      if (!pos.seeded_by_seeder) continue;
      const s = pos.investment_class === 'OPTIONS' ? pos.underlying_symbol : pos.symbol;
      if (s && !isPrivateLookingSymbol(s) && !isOptionContractSymbol(s)) out.add(s);
    }
  }
  return [...out].sort();
}

/** Anchors: each symbol's earliest demo lot's entry price on its entry date (e.9). */
function demoAnchors(): Record<string, { date: IsoDate; price: number }> {
  const out: Record<string, { date: IsoDate; price: number }> = {};
  for (const p of DEMO_PORTFOLIOS) {
    for (const pos of p.positions) {
      if (!pos.seeded_by_seeder || pos.investment_class !== 'PUBLIC' || isPrivateLookingSymbol(pos.symbol)) continue;
      const cur = out[pos.symbol];
      if (!cur || pos.entry_date < cur.date) out[pos.symbol] = { date: pos.entry_date, price: pos.entry_price };
    }
  }
  return out;
}

const DEMO_IDS = DEMO_PORTFOLIOS.map((p) => p.portfolio_id_deterministic);

function resetDemo(db: SqliteDatabase): void {
  const ids = DEMO_IDS;
  const q = inList(ids);
  const lotSub = `SELECT id FROM positions WHERE portfolio_id IN (${q})`;
  const run = (sql: string, args: unknown[] = ids) => db.prepare(sql).run(...args);
  run(`DELETE FROM pairwise_correlations WHERE correlation_calculation_id IN (SELECT id FROM correlation_calculations WHERE portfolio_id IN (${q}))`);
  for (const t of ['correlation_calculations', 'stress_test_results', 'factor_exposures', 'position_market_betas', 'position_interest_rate_betas', 'position_marks', 'portfolio_snapshots']) {
    run(`DELETE FROM ${t} WHERE portfolio_id IN (${q})`);
  }
  for (const t of ['position_factor_exposures', 'position_volatility', 'position_tags', 'position_realized_events']) run(`DELETE FROM ${t} WHERE position_id IN (${lotSub})`);
  run(`DELETE FROM equity_changes WHERE portfolio_id IN (${q})`);
  run(`DELETE FROM positions WHERE portfolio_id IN (${q})`);
  run(`DELETE FROM portfolios WHERE id IN (${q})`);
  const others = (db.prepare(`SELECT count(*) AS n FROM portfolios`).get() as { n: number }).n;
  if (others === 0) {
    for (const t of ['batch_run_tracking', 'missing_prices', 'symbol_factor_exposures']) db.prepare(`DELETE FROM ${t}`).run();
  }
  db.prepare(`DELETE FROM market_data_cache WHERE data_source = 'synthetic'`).run();
  db.prepare(`DELETE FROM company_profiles WHERE data_source = 'synthetic'`).run();
  db.prepare(`DELETE FROM synthetic_truth`).run();
  db.prepare(`DELETE FROM settings WHERE key IN ('synthetic', 'market_data.mode', 'gate')`).run();
}

function upsertDemoRows(db: SqliteDatabase, nowIso: string): { usersAdded: number; positionsAdded: number; positions: number } {
  let usersAdded = 0;
  let positionsAdded = 0;
  let positions = 0;
  for (const p of DEMO_PORTFOLIOS) {
    const user = db.prepare(`SELECT id FROM users WHERE id = ?`).get(p.user_id_deterministic);
    if (!user) {
      db.prepare(`INSERT INTO users (id, user_key, is_active, created_at, updated_at) VALUES (?, ?, 1, ?, ?)`).run(p.user_id_deterministic, p.user_key, nowIso, nowIso);
      usersAdded++;
    }
    const cur = db.prepare(`SELECT name, account_name, account_type, description, equity_balance, initial_equity FROM portfolios WHERE id = ?`).get(p.portfolio_id_deterministic) as
      | Record<string, unknown>
      | undefined;
    if (!cur) {
      db.prepare(
        `INSERT INTO portfolios (id, user_id, name, account_name, account_type, is_active, description, currency, equity_balance, initial_equity, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, 'USD', ?, ?, ?, ?)`,
      ).run(p.portfolio_id_deterministic, p.user_id_deterministic, p.portfolio_name, p.account_name, p.account_type, p.description, p.equity_balance, p.equity_balance, nowIso, nowIso);
    } else {
      const hasSnapshots = db.prepare(`SELECT 1 FROM portfolio_snapshots WHERE portfolio_id = ? LIMIT 1`).get(p.portfolio_id_deterministic) !== undefined;
      const fieldsChanged = cur['name'] !== p.portfolio_name || cur['account_name'] !== p.account_name || cur['account_type'] !== p.account_type || cur['description'] !== p.description;
      const equityChanged = !hasSnapshots && (cur['equity_balance'] !== p.equity_balance || cur['initial_equity'] !== p.equity_balance);
      if (fieldsChanged) {
        db.prepare(`UPDATE portfolios SET name = ?, account_name = ?, account_type = ?, description = ?, updated_at = ? WHERE id = ?`).run(
          p.portfolio_name, p.account_name, p.account_type, p.description, nowIso, p.portfolio_id_deterministic,
        );
      }
      if (equityChanged) db.prepare(`UPDATE portfolios SET equity_balance = ?, initial_equity = ?, updated_at = ? WHERE id = ?`).run(p.equity_balance, p.equity_balance, nowIso, p.portfolio_id_deterministic);
    }
    for (const pos of p.positions) {
      if (!pos.seeded_by_seeder || !pos.position_id_deterministic) continue;
      positions++;
      const values = {
        symbol: pos.symbol,
        position_type: pos.position_type,
        quantity: pos.quantity,
        entry_price: pos.entry_price,
        entry_date: pos.entry_date,
        underlying_symbol: pos.underlying_symbol ?? null,
        strike_price: pos.strike_price ?? null,
        expiration_date: pos.expiration_date ?? null,
        investment_class: pos.investment_class,
        investment_subtype: pos.investment_subtype,
      };
      const id = pos.position_id_deterministic;
      const existing = db.prepare(`SELECT ${Object.keys(values).join(', ')} FROM positions WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
      if (!existing) {
        db.prepare(
          `INSERT INTO positions (id, portfolio_id, ${Object.keys(values).join(', ')}, created_at, updated_at) VALUES (?, ?, ${Object.keys(values).map(() => '?').join(', ')}, ?, ?)`,
        ).run(id, p.portfolio_id_deterministic, ...Object.values(values), nowIso, nowIso);
        positionsAdded++;
      } else if (Object.entries(values).some(([k, v]) => existing[k] !== v)) {
        db.prepare(`UPDATE positions SET ${Object.keys(values).map((k) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(
          ...Object.values(values),
          nowIso,
          id,
        );
      }
    }
  }
  return { usersAdded, positionsAdded, positions };
}

function setSettingIfChanged(db: SqliteDatabase, key: string, value: unknown, nowIso: string): void {
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE settings.value IS NOT excluded.value`,
  ).run(key, JSON.stringify(value), nowIso);
}

/** The synthetic generator configuration the demo stores in settings.synthetic (and runs reuse). */
export function demoSyntheticConfig(o: SeedDemoOptions): SyntheticConfigInput & { start: IsoDate; end: IsoDate } {
  return { seed: o.seed, profile: o.profile, start: lookbackStart(o.startDate, 400), end: o.endDate, symbols: demoSymbols(), anchors: demoAnchors() };
}

/**
 * Why seeding with `options` is refused, or null: synthetic prices of another seed or profile
 * are stored already and `--reset` was not given (their paths would mix). Read-only, so the
 * command can refuse before it takes the lock and leave the file's bytes as they were.
 */
export function seedConflict(db: SqliteDatabase, options: SeedDemoOptions): string | null {
  if (options.prices !== 'synthetic' || options.reset) return null;
  const stored = db.prepare(`SELECT value FROM settings WHERE key = 'synthetic'`).get() as { value: string } | undefined;
  if (!stored) return null;
  const prev = JSON.parse(stored.value) as { seed?: number; profile?: string };
  if (prev.seed === options.seed && prev.profile === options.profile) return null;
  return `this database already holds synthetic prices for seed ${prev.seed} (${prev.profile}); use --reset to start over with seed ${options.seed} (${options.profile})`;
}

export function seedDemo(db: SqliteDatabase, options: SeedDemoOptions, nowMs: number): SeedDemoResult {
  const nowIso = formatTimestamp(nowMs);
  const apply = db.transaction((): SeedDemoResult => {
    if (options.reset) resetDemo(db);
    const rows = upsertDemoRows(db, nowIso);
    const ref = seedReferenceData(db, nowIso);
    let priceRowsAdded = 0;
    let priceRange: SeedDemoResult['priceRange'] = null;
    const symbols = demoSymbols();
    if (options.prices === 'synthetic') {
      const config = demoSyntheticConfig(options);
      const conflict = seedConflict(db, options);
      if (conflict) throw usageError(conflict);
      const gen = createSyntheticGenerator(config);
      const { rows: priceRows } = gen.priceRows(symbols, config.start, config.end);
      const insert = db.prepare(
        `INSERT OR IGNORE INTO market_data_cache (id, symbol, date, close, volume, data_source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'synthetic', ?, ?)`,
      );
      for (const r of priceRows) {
        const at = formatTimestamp(settleInstantMs(r.date, 20));
        priceRowsAdded += insert.run(priceRowId(r.symbol, r.date), r.symbol, r.date, r.close, r.volume, at, at).changes;
      }
      priceRange = { start: config.start, end: config.end };
      const truth = db.prepare(`INSERT OR IGNORE INTO synthetic_truth (symbol, kind, name, value, seed, profile, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const t of gen.truthRows(symbols)) truth.run(t.symbol, t.kind, t.name, t.value, t.seed, t.profile, nowIso);
      const hasProfile = db.prepare(`SELECT 1 FROM company_profiles WHERE symbol = ?`);
      const insProfile = db.prepare(
        `INSERT INTO company_profiles (symbol, company_name, sector, industry, exchange, country, market_cap, description, is_etf, is_fund, beta, data_source, last_updated, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const s of symbols) {
        const p = gen.profile(s);
        if (!p || hasProfile.get(s)) continue;
        insProfile.run(s, p.companyName, p.sector, p.industry, p.exchange, p.country, p.marketCap, p.description, p.isEtf ? 1 : 0, p.isFund ? 1 : 0, p.beta, p.dataSource, nowIso, nowIso, nowIso);
      }
      setSettingIfChanged(db, 'synthetic', { seed: config.seed, profile: config.profile, start: config.start, end: config.end, anchors: config.anchors }, nowIso);
      setSettingIfChanged(db, 'market_data.mode', 'synthetic', nowIso);
    }
    return {
      portfolios: DEMO_PORTFOLIOS.length,
      positions: rows.positions,
      positionsAdded: rows.positionsAdded,
      usersAdded: rows.usersAdded,
      factorsAdded: ref.factorsAdded,
      scenariosAdded: ref.scenariosAdded,
      symbols: symbols.length,
      priceRowsAdded,
      priceRange,
      reset: options.reset,
      backfilledThrough: backfilledThrough(db),
    };
  });
  return apply.immediate();
}
