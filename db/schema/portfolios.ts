import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { checkBool, checkIn, checkSql } from './columns';
import { users } from './users';

/** portfolios (raw; column group portfolios.equity = equity_balance; SPEC.md b.2). */
export const portfolios = sqliteTable(
  'portfolios',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    name: text('name').notNull(),
    accountName: text('account_name').notNull(),
    accountType: text('account_type').notNull().default('taxable'),
    isActive: integer('is_active').notNull().default(1),
    description: text('description'),
    currency: text('currency').notNull().default('USD'),
    equityBalance: real('equity_balance'),
    initialEquity: real('initial_equity'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at'),
    deletedAt: text('deleted_at'),
  },
  (t) => [
    uniqueIndex('portfolios_user_account_uq').on(t.userId, t.accountName),
    index('portfolios_deleted_at_idx').on(t.deletedAt),
    index('portfolios_user_id_idx').on(t.userId),
    checkBool('portfolios_is_active_bool', t.isActive),
    checkSql('portfolios_currency_len', sql`length(${t.currency}) = 3`),
  ],
);

export const POSITION_TYPE_VALUES = ['LC', 'LP', 'SC', 'SP', 'LONG', 'SHORT'] as const;
export const INVESTMENT_CLASS_VALUES = ['PUBLIC', 'OPTIONS', 'PRIVATE'] as const;
export const PRICE_SOURCE_VALUES = ['exact', 'fallback', 'model', 'entry', 'missing'] as const;

/** positions (raw; column group positions.mark; SPEC.md b.2). */
export const positions = sqliteTable(
  'positions',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    symbol: text('symbol').notNull(),
    positionType: text('position_type').notNull(),
    quantity: real('quantity').notNull(),
    entryPrice: real('entry_price').notNull(),
    entryDate: text('entry_date').notNull(),
    exitPrice: real('exit_price'),
    exitDate: text('exit_date'),
    underlyingSymbol: text('underlying_symbol'),
    strikePrice: real('strike_price'),
    expirationDate: text('expiration_date'),
    investmentClass: text('investment_class').notNull(),
    investmentSubtype: text('investment_subtype'),
    realizedPnl: real('realized_pnl'),
    notes: text('notes'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
    deletedAt: text('deleted_at'),
    lastPrice: real('last_price'),
    marketValue: real('market_value'),
    unrealizedPnl: real('unrealized_pnl'),
    priceDate: text('price_date'),
    priceSource: text('price_source'),
    markedAsOf: text('marked_as_of'),
  },
  (t) => [
    index('positions_portfolio_deleted_idx').on(t.portfolioId, t.deletedAt),
    index('positions_symbol_idx').on(t.symbol),
    index('positions_exit_date_idx').on(t.exitDate),
    index('positions_class_subtype_idx').on(t.investmentClass, t.investmentSubtype),
    checkIn('positions_position_type_in', t.positionType, POSITION_TYPE_VALUES),
    checkIn('positions_investment_class_in', t.investmentClass, INVESTMENT_CLASS_VALUES),
    checkIn('positions_price_source_in', t.priceSource, PRICE_SOURCE_VALUES),
    checkSql('positions_entry_price_nonneg', sql`${t.entryPrice} >= 0`),
  ],
);

/** position_realized_events (raw; SPEC.md b.2). */
export const positionRealizedEvents = sqliteTable(
  'position_realized_events',
  {
    id: text('id').primaryKey(),
    positionId: text('position_id').notNull().references(() => positions.id, { onDelete: 'cascade' }),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id, { onDelete: 'cascade' }),
    tradeDate: text('trade_date').notNull(),
    quantityClosed: real('quantity_closed').notNull(),
    realizedPnl: real('realized_pnl').notNull(),
    exitPrice: real('exit_price'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('realized_events_portfolio_date_idx').on(t.portfolioId, t.tradeDate),
    index('realized_events_position_date_idx').on(t.positionId, t.tradeDate),
    checkSql('realized_events_quantity_positive', sql`${t.quantityClosed} > 0`),
  ],
);

/** equity_changes (raw; SPEC.md b.2). */
export const equityChanges = sqliteTable(
  'equity_changes',
  {
    id: text('id').primaryKey(),
    portfolioId: text('portfolio_id').notNull().references(() => portfolios.id),
    changeType: text('change_type').notNull(),
    amount: real('amount').notNull(),
    changeDate: text('change_date').notNull(),
    notes: text('notes'),
    createdByUserId: text('created_by_user_id').references(() => users.id),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
    deletedAt: text('deleted_at'),
  },
  (t) => [
    index('equity_changes_portfolio_date_idx').on(t.portfolioId, t.changeDate),
    checkIn('equity_changes_type_in', t.changeType, ['CONTRIBUTION', 'WITHDRAWAL']),
    checkSql('equity_changes_amount_nonneg', sql`${t.amount} >= 0`),
  ],
);
