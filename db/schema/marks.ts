import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { checkBool, checkIn, checkJson } from './columns';
import { PRICE_SOURCE_VALUES, portfolios, positions } from './portfolios';

/** position_marks (derived, new; SPEC.md b.3): one row per lot and processed date. */
export const positionMarks = sqliteTable(
  'position_marks',
  {
    positionId: text('position_id').notNull().references(() => positions.id),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    markDate: text('mark_date').notNull(),
    isActive: integer('is_active').notNull(),
    quantity: real('quantity').notNull(),
    multiplier: integer('multiplier').notNull(),
    price: real('price'),
    priceDate: text('price_date'),
    priceSource: text('price_source').notNull(),
    marketValue: real('market_value'),
    costBasis: real('cost_basis'),
    unrealizedPnl: real('unrealized_pnl'),
    prevPrice: real('prev_price'),
    prevPriceDate: text('prev_price_date'),
    prevBasis: text('prev_basis'),
    closedQuantity: real('closed_quantity').notNull().default(0),
    closingPnl: real('closing_pnl').notNull().default(0),
    dailyPnl: real('daily_pnl').notNull(),
    underlyingPrice: real('underlying_price'),
    underlyingPriceDate: text('underlying_price_date'),
    impliedVol: real('implied_vol'),
    riskFreeRate: real('risk_free_rate'),
    timeToExpiry: real('time_to_expiry'),
    delta: real('delta'),
    gamma: real('gamma'),
    theta: real('theta'),
    vega: real('vega'),
    flags: text('flags'),
    runId: text('run_id'),
    computedAt: text('computed_at').notNull(),
  },
  (t) => [
    // Declared date first (the same key as SPEC.md b.3's (position_id, mark_date)): a backfill
    // appends each date's marks instead of touching one index page per lot; previous marks are
    // read once per run into memory (core/engine/mark-history.ts), not probed per lot.
    primaryKey({ columns: [t.markDate, t.positionId] }),
    index('position_marks_portfolio_date_idx').on(t.portfolioId, t.markDate),
    checkBool('position_marks_is_active_bool', t.isActive),
    checkIn('position_marks_price_source_in', t.priceSource, PRICE_SOURCE_VALUES),
    checkIn('position_marks_prev_basis_in', t.prevBasis, ['mark', 'entry', 'baseline', 'none']),
    checkJson('position_marks_flags_json', t.flags),
  ],
);
