import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { checkBool, checkIn, checkSql } from './columns';

/** market_data_cache (raw; SPEC.md b.2). Rows with a non-positive or non-finite close are never written. */
export const marketDataCache = sqliteTable(
  'market_data_cache',
  {
    id: text('id').primaryKey(),
    symbol: text('symbol').notNull(),
    date: text('date').notNull(),
    open: real('open'),
    high: real('high'),
    low: real('low'),
    close: real('close').notNull(),
    volume: integer('volume'),
    sector: text('sector'),
    industry: text('industry'),
    exchange: text('exchange'),
    country: text('country'),
    marketCap: real('market_cap'),
    dataSource: text('data_source').notNull(),
    validationFlag: text('validation_flag'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('market_data_cache_symbol_date_uq').on(t.symbol, t.date),
    index('market_data_cache_date_idx').on(t.date),
    checkSql('market_data_cache_close_positive', sql`${t.close} > 0`),
    checkIn('market_data_cache_flag_in', t.validationFlag, ['jump']),
  ],
);

export const FETCH_OUTCOME_VALUES = ['ok', 'no_data', 'rate_limited', 'provider_error', 'invalid'] as const;

/** market_data_fetch_log (raw, new; SPEC.md b.2): every provider request. */
export const marketDataFetchLog = sqliteTable(
  'market_data_fetch_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    symbol: text('symbol').notNull(),
    provider: text('provider').notNull(),
    rangeStart: text('range_start').notNull(),
    rangeEnd: text('range_end').notNull(),
    requestedAt: text('requested_at').notNull(),
    outcome: text('outcome').notNull(),
    rowsReturned: integer('rows_returned'),
    firstTradeDate: text('first_trade_date'),
    error: text('error'),
    runId: text('run_id'),
  },
  (t) => [
    index('market_data_fetch_log_symbol_end_idx').on(t.symbol, t.rangeEnd),
    checkIn('market_data_fetch_log_provider_in', t.provider, ['yahoo', 'csv', 'synthetic']),
    checkIn('market_data_fetch_log_outcome_in', t.outcome, FETCH_OUTCOME_VALUES),
  ],
);

/** company_profiles (raw; SPEC.md b.2). Not point-in-time. */
export const companyProfiles = sqliteTable(
  'company_profiles',
  {
    symbol: text('symbol').primaryKey(),
    companyName: text('company_name'),
    sector: text('sector'),
    industry: text('industry'),
    exchange: text('exchange'),
    country: text('country'),
    marketCap: real('market_cap'),
    description: text('description'),
    isEtf: integer('is_etf'),
    isFund: integer('is_fund'),
    beta: real('beta'),
    peRatio: real('pe_ratio'),
    forwardPe: real('forward_pe'),
    dividendYield: real('dividend_yield'),
    week52High: real('week_52_high'),
    week52Low: real('week_52_low'),
    employees: integer('employees'),
    website: text('website'),
    dataSource: text('data_source').notNull(),
    lastUpdated: text('last_updated').notNull(),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    checkBool('company_profiles_is_etf_bool', t.isEtf),
    checkBool('company_profiles_is_fund_bool', t.isFund),
    checkSql('company_profiles_description_len', sql`${t.description} IS NULL OR length(${t.description}) <= 1000`),
  ],
);

export const MISSING_REASON_VALUES = [
  'no_data', 'provider_error', 'rate_limited', 'stale_beyond_fallback', 'invalid_price', 'not_listed_yet',
] as const;

/** missing_prices (derived, new; SPEC.md b.3): one row per processed date and symbol without an exact close. */
export const missingPrices = sqliteTable(
  'missing_prices',
  {
    priceDate: text('price_date').notNull(),
    symbol: text('symbol').notNull(),
    reason: text('reason').notNull(),
    resolution: text('resolution').notNull(),
    fallbackPriceDate: text('fallback_price_date'),
    lastKnownPriceDate: text('last_known_price_date'),
    provider: text('provider'),
    detail: text('detail'),
    positionsAffected: integer('positions_affected').notNull(),
    portfoliosAffected: integer('portfolios_affected').notNull(),
    runId: text('run_id'),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.priceDate, t.symbol] }),
    checkIn('missing_prices_reason_in', t.reason, MISSING_REASON_VALUES),
    checkIn('missing_prices_resolution_in', t.resolution, ['fallback', 'missing']),
  ],
);
