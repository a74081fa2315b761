/**
 * Configuration of the synthetic generator (SPEC.md e.9, m.8), validated with zod at the
 * boundary (settings.synthetic, CLI flags, tests).
 *
 * - seed: integer 0 .. 2^32 - 1, default 42.
 * - profile: 'realistic' (Appendix B correlations, demo) or 'independent' (recovery tests).
 * - start, end: the generation window, inside the trading calendar (2000-01-01 .. 2030-12-31).
 *   It fixes the default anchors (anchors.ts) and the default range of bulk generation. Paths
 *   themselves are defined on every trading day of the calendar.
 * - symbols: the default symbol list for bulk generation and truth rows.
 * - anchors: symbol -> { date, price } overriding the defaults (demo lots, earliest lot).
 * - faults: test-only injected gaps and bad prints (m.8).
 */
import { z } from 'zod';
import { syntheticSeedSchema } from '../../core/api/run-options';
import { calendarDateSchema } from '../../core/calendar/calendar-range-error';
import { isoDateSchema } from '../../core/domain/iso-date';
import { canonicalSymbol } from '../../core/domain/symbols';

const symbolSchema = z
  .string()
  .transform(canonicalSymbol)
  .refine((s) => s.length > 0, { message: 'symbol must not be empty' });

export const anchorSchema = z.object({
  date: calendarDateSchema,
  price: z.number().finite().positive(),
});
export type Anchor = z.infer<typeof anchorSchema>;

/**
 * An injected fault on one (symbol, date): 'gap' drops the close; 'zero' prints 0; 'negative'
 * prints minus the close; 'jump' prints ten times the close. Dates that are not trading days
 * have no close to alter and are ignored.
 */
export const faultSchema = z.object({
  symbol: symbolSchema,
  date: isoDateSchema,
  kind: z.enum(['gap', 'zero', 'negative', 'jump']),
});
export type Fault = z.infer<typeof faultSchema>;
export type FaultKind = Fault['kind'];

export const syntheticConfigSchema = z
  .object({
    seed: syntheticSeedSchema.default(42),
    profile: z.enum(['realistic', 'independent']).default('realistic'),
    start: calendarDateSchema,
    end: calendarDateSchema,
    symbols: z.array(symbolSchema).default([]),
    anchors: z
      .record(z.string(), anchorSchema)
      .default({})
      .transform((rec) => {
        const out: Record<string, Anchor> = {};
        for (const [k, v] of Object.entries(rec)) out[canonicalSymbol(k)] = v;
        return out;
      }),
    faults: z.array(faultSchema).default([]),
  })
  .refine((c) => c.start <= c.end, { message: 'start must not be after end', path: ['start'] });

/** Parsed configuration. */
export type SyntheticConfig = z.infer<typeof syntheticConfigSchema>;
/** Configuration as written by a caller (defaults not yet applied). */
export type SyntheticConfigInput = z.input<typeof syntheticConfigSchema>;
