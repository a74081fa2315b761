/**
 * End-to-end market-data runs for tests: a small non-demo database (one portfolio of a few
 * public symbols, market data mode online, every provider wait shrunk to milliseconds through
 * the settings table, SPEC.md m.17), the engine run through the host against the Yahoo mock,
 * and the row checksums that prove stored prices are never deleted or made worse (m.13).
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { runOptionsSchema, type RunOptionsInput } from '../../core/api/run-options';
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import type { IsoDate } from '../../core/domain/iso-date';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { RunResult } from '../../core/engine/run-engine';
import type { Clock } from '../../core/ports/clock';
import type { ProviderMetric } from '../../core/ports/market-data';
import { md5Uuid } from '../../db/ids';
import { openStore, runOnDatabase } from '../../host/engine-host';
import { seedReferenceData } from '../../host/reference-data';
import type { FetchLike } from '../../market-data/resilience/timed-fetch';
import { generatedClose } from './yahoo-mock';

export interface SmallLot {
  readonly symbol: string;
  readonly quantity: number;
  readonly entryDate: IsoDate;
}

export const SMALL_PORTFOLIO_ID = md5Uuid('test-portfolio:market-data');

/** Settings that shrink every provider wait to milliseconds (m.17). */
export const SHRUNK_WAIT_SETTINGS: Readonly<Record<string, unknown>> = {
  'market_data.mode': 'online',
  'market_data.rate_per_second': 1000,
  'market_data.max_retries': 3,
  'market_data.timeout_ms': 1000,
  'market_data.backoff_base_ms': 2,
  'market_data.backoff_cap_ms': 20,
  'market_data.retry_after_cap_ms': 50,
  'market_data.circuit_cooldown_ms': 100,
  'market_data.circuit_cooldown_max_ms': 400,
};

/**
 * A new database with one portfolio holding `lots` (entry price = the mock's generated close
 * on the entry date, so day-one P&L is zero), the reference data and `settings`.
 */
export function createSmallDatabase(path: string, lots: readonly SmallLot[], settings: Readonly<Record<string, unknown>>, nowMs: number): void {
  const nowIso = formatTimestamp(nowMs);
  const opened = openStore(path);
  try {
    const db = opened.db;
    db.transaction(() => {
      seedReferenceData(db, nowIso);
      const userId = md5Uuid('test-user:market-data');
      db.prepare(`INSERT INTO users (id, user_key, is_active, created_at, updated_at) VALUES (?, 'market-data-test', 1, ?, ?)`).run(userId, nowIso, nowIso);
      db.prepare(
        `INSERT INTO portfolios (id, user_id, name, account_name, account_type, is_active, description, currency, equity_balance, initial_equity, created_at, updated_at)
         VALUES (?, ?, 'Market data test', 'Test account', 'taxable', 1, NULL, 'USD', 1000000, 1000000, ?, ?)`,
      ).run(SMALL_PORTFOLIO_ID, userId, nowIso, nowIso);
      const insert = db.prepare(
        `INSERT INTO positions (id, portfolio_id, symbol, position_type, quantity, entry_price, entry_date, investment_class, created_at, updated_at)
         VALUES (?, ?, ?, 'LONG', ?, ?, ?, 'PUBLIC', ?, ?)`,
      );
      for (const lot of lots) {
        insert.run(md5Uuid(`test-lot:${lot.symbol}:${lot.entryDate}`), SMALL_PORTFOLIO_ID, lot.symbol, lot.quantity, generatedClose(lot.symbol, lot.entryDate), lot.entryDate, nowIso, nowIso);
      }
      const set = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
      for (const [k, v] of Object.entries(settings)) set.run(k, JSON.stringify(v), nowIso);
    })();
  } finally {
    opened.close();
  }
}

/** Copies a closed database file (with its WAL files when present). */
export function copyDatabase(from: string, to: string): void {
  copyFileSync(from, to);
  for (const ext of ['-wal', '-shm']) if (existsSync(from + ext)) copyFileSync(from + ext, to + ext);
}

/** A clock that starts at `startIso` and advances in real time (request times stay ordered). */
export function advancingClock(startIso: string): Clock {
  const offset = Date.parse(startIso) - Date.now();
  return { now: () => Date.now() + offset };
}

export interface EngineRun {
  readonly result: RunResult;
  readonly events: TelemetryEvent[];
  readonly providerMetrics: ProviderMetric[];
}

/** Runs the engine on the database through the host, with the mock's fetch as Yahoo's transport. */
export async function runEngine(path: string, options: RunOptionsInput, fetch: FetchLike, clock: Clock, signal?: AbortSignal, providerClock?: Clock): Promise<EngineRun> {
  const events: TelemetryEvent[] = [];
  const providerMetrics: ProviderMetric[] = [];
  const result = await runOnDatabase({
    dbPath: path,
    options: runOptionsSchema.parse({ guard: false, ...options }),
    holder: 'cli',
    sinks: [{ name: 'collect', handle: (e) => void events.push(e) }],
    control: { signal: signal ?? new AbortController().signal },
    clock,
    fetch: fetch as typeof globalThis.fetch,
    ...(providerClock ? { providerClock } : {}),
    onProviderMetric: (m) => void providerMetrics.push(m),
  });
  return { result, events, providerMetrics };
}

/** Every market_data_cache row as text, keyed by symbol and date (all columns). */
export function cacheRows(path: string): Map<string, string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT * FROM market_data_cache ORDER BY symbol, date`).all() as Record<string, unknown>[];
    return new Map(rows.map((r) => [`${String(r['symbol'])} ${String(r['date'])}`, JSON.stringify(r)]));
  } finally {
    db.close();
  }
}

/** SHA-256 of each row's text: the row checksums compared before and after a run. */
export function rowChecksums(rows: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...rows].map(([k, v]) => [k, createHash('sha256').update(v).digest('hex')]));
}

export interface MissingPriceRecord {
  readonly price_date: string;
  readonly symbol: string;
  readonly reason: string;
  readonly resolution: string;
  readonly fallback_price_date: string | null;
  readonly last_known_price_date: string | null;
  readonly provider: string | null;
  readonly detail: string | null;
}

export function missingPrices(path: string): MissingPriceRecord[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(`SELECT price_date, symbol, reason, resolution, fallback_price_date, last_known_price_date, provider, detail FROM missing_prices ORDER BY price_date, symbol`)
      .all() as MissingPriceRecord[];
  } finally {
    db.close();
  }
}

/** Runs a statement on a closed database file (test setup). */
export function execSql(path: string, sql: string, ...args: unknown[]): number {
  const db = new Database(path, { fileMustExist: true });
  try {
    return db.prepare(sql).run(...args).changes;
  } finally {
    db.close();
  }
}

export function querySql<T>(path: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
