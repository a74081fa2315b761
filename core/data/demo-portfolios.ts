/**
 * The bundled demo portfolios (SPEC.md j.6), parsed with zod at load. Ids are literal
 * values from the file; positions with seeded_by_seeder = false are duplicates the seeder skips.
 */
import { z } from 'zod';
import { isoDateSchema } from '../domain/iso-date';
import raw from './demo-portfolios.json';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string').transform(Number);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

const demoPositionSchema = z.object({
  symbol: z.string().min(1),
  quantity: decimal,
  entry_price: decimal,
  entry_date: isoDateSchema,
  position_type: z.enum(['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP']),
  investment_class: z.enum(['PUBLIC', 'OPTIONS', 'PRIVATE']),
  investment_subtype: z.string().nullable(),
  seeded_by_seeder: z.boolean(),
  position_id_deterministic: uuid.optional(),
  underlying_symbol: z.string().optional(),
  strike_price: decimal.optional(),
  expiration_date: isoDateSchema.optional(),
  option_type: z.enum(['C', 'P']).optional(),
});

const demoPortfolioSchema = z.object({
  user_key: z.string().min(1),
  portfolio_id_seed: z.string(),
  portfolio_name: z.string().min(1),
  account_name: z.string().min(1),
  account_type: z.string().min(1),
  description: z.string(),
  equity_balance: decimal,
  portfolio_id_deterministic: uuid,
  user_id_deterministic: uuid,
  positions_seeded: z.number().int(),
  positions: z.array(demoPositionSchema),
});

export type DemoPortfolio = z.infer<typeof demoPortfolioSchema>;

export const DEMO_PORTFOLIOS: readonly DemoPortfolio[] = z.array(demoPortfolioSchema).parse(raw);

/** The demo's entry date and baseline (SPEC.md j.6, m.7). */
export const DEMO_START_DATE = '2025-06-30';
