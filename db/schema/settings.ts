import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { checkIn, checkJson } from './columns';

/** settings (raw, new; JSON values; SPEC.md b.2, k.4). */
export const settings = sqliteTable(
  'settings',
  {
    key: text('key').primaryKey(),
    value: text('value').notNull(),
    updatedAt: text('updated_at'),
  },
  (t) => [checkJson('settings_value_json', t.value)],
);

/** synthetic_truth (raw, new; SPEC.md b.2, e.9): the generator's known parameters. */
export const syntheticTruth = sqliteTable(
  'synthetic_truth',
  {
    symbol: text('symbol').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    value: real('value').notNull(),
    seed: integer('seed').notNull(),
    profile: text('profile').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.kind, t.name] }),
    checkIn('synthetic_truth_kind_in', t.kind, ['loading', 'implied_beta', 'alpha', 'idio_vol', 'anchor', 'shape']),
  ],
);
