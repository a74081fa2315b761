/**
 * The plan of a run as `planRun` returns it (SPEC.md g.4, the run-plan document): the target
 * date, chunks with their market-data fetch plans, and per date the date phases, the portfolios with their phases and reasons,
 * and the portfolios left out. The Run screen previews it; the live store reads a cancelled
 * run's resume plan from it (the dates that run did not finish, g.10 and g.11).
 */
import { z } from 'zod';

const chunkFetchSchema = z
  .object({
    sources: z.array(z.string()),
    symbols: z.array(z.string()),
    ranges: z.array(z.object({ symbol: z.string(), start: z.string(), end: z.string(), trading_days: z.number() })),
    requested_days: z.number(),
    estimated_requests: z.number(),
    fetch_mode: z.string(),
  })
  .loose();

export const planSchema = z
  .object({
    target_date: z.string(),
    mode: z.string().optional(),
    phases: z.array(z.string()).optional(),
    up_to_date: z.string().nullable().optional(),
    chunks: z
      .array(
        z
          .object({
            index: z.number(),
            first_date: z.string().optional(),
            last_date: z.string().optional(),
            dates: z.number(),
            /** The chunk's market-data fetch plan (g.4); null when the chunk runs no market_data. */
            fetch: chunkFetchSchema.nullable().optional(),
          })
          .loose(),
      )
      .default([]),
    /** The chunks' ranges over all chunks, a range several chunks lack counted once; absent from an older host's plan. */
    fetch_total: z.object({ ranges: z.number(), requested_days: z.number() }).nullable().optional(),
    dates: z
      .array(
        z
          .object({
            date: z.string(),
            date_phases: z.array(z.string()).default([]),
            portfolios: z.array(z.object({ portfolio_id: z.string(), phases: z.array(z.string()), reason: z.string().nullable().optional() }).loose()).default([]),
            skipped: z.array(z.object({ portfolio_id: z.string(), reason: z.string() }).loose()).default([]),
          })
          .loose(),
      )
      .default([]),
    warnings: z.array(z.unknown()).default([]),
    /** The error codes of what would refuse a run now (`locked`: another process holds the file). */
    refused_by: z.array(z.string()).default([]),
  })
  .loose();
export type Plan = z.infer<typeof planSchema>;
