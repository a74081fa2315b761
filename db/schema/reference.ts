import { integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { checkBool, checkIn, checkJson } from './columns';

/** factor_definitions (reference; seeded from factors.json by name; SPEC.md b.2). */
export const factorDefinitions = sqliteTable(
  'factor_definitions',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    factorType: text('factor_type'),
    calculationMethod: text('calculation_method'),
    etfProxy: text('etf_proxy'),
    displayOrder: integer('display_order'),
    isActive: integer('is_active').notNull().default(1),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('factor_definitions_name_uq').on(t.name),
    checkIn('factor_definitions_type_in', t.factorType, ['market', 'style', 'macro', 'sector']),
    checkBool('factor_definitions_is_active_bool', t.isActive),
  ],
);

/** stress_test_scenarios (reference; seeded from stress-scenarios.json by scenario_id; SPEC.md b.2). */
export const stressTestScenarios = sqliteTable(
  'stress_test_scenarios',
  {
    id: text('id').primaryKey(),
    scenarioId: text('scenario_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    category: text('category'),
    severity: text('severity'),
    shockConfig: text('shock_config').notNull(),
    active: integer('active').notNull(),
    categoryKey: text('category_key'),
    periodStart: text('period_start'),
    periodEnd: text('period_end'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('stress_test_scenarios_scenario_id_uq').on(t.scenarioId),
    checkJson('stress_test_scenarios_shock_config_json', t.shockConfig),
    checkBool('stress_test_scenarios_active_bool', t.active),
  ],
);

/** benchmarks_sector_weights (reference, optional; SPEC.md b.2). */
export const benchmarksSectorWeights = sqliteTable(
  'benchmarks_sector_weights',
  {
    id: text('id').primaryKey(),
    benchmarkCode: text('benchmark_code').notNull(),
    asofDate: text('asof_date').notNull(),
    sector: text('sector').notNull(),
    weight: real('weight').notNull(),
    marketCap: real('market_cap'),
    numConstituents: integer('num_constituents'),
    dataSource: text('data_source'),
    createdAt: text('created_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [uniqueIndex('benchmarks_sector_weights_uq').on(t.benchmarkCode, t.asofDate, t.sector)],
);
