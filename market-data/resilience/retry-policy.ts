/**
 * Every wait and threshold of the provider politeness rules (SPEC.md e.7), as one zod schema
 * with the SPEC defaults. m.17: waits are settings, so tests shrink them to milliseconds.
 */
import { z } from 'zod';

export const circuitBreakerConfigSchema = z.object({
  /** Consecutive failed logical requests that open the circuit. */
  consecutiveFailures: z.number().int().min(1).default(5),
  /** Sliding window of recent logical requests. */
  windowSize: z.number().int().min(1).default(20),
  /** The ratio rule applies once the window holds this many requests. */
  windowMinRequests: z.number().int().min(1).default(10),
  /** Failed share of the window that opens the circuit. */
  windowFailureRatio: z.number().gt(0).max(1).default(0.5),
  /** First cooldown, ms; doubled at each re-opening. */
  cooldownMs: z.number().nonnegative().default(60_000),
  /** Longest cooldown, ms. */
  cooldownMaxMs: z.number().nonnegative().default(600_000),
});

export const providerPolicySchema = z.object({
  /** Token-bucket refill rate (requests per second). */
  ratePerSecond: z.number().positive().default(1),
  /** Token-bucket capacity. */
  burst: z.number().int().min(1).default(2),
  /** HTTP requests in flight at once. */
  maxInFlight: z.number().int().min(1).default(2),
  /** Retries of a retryable failure (network, timeout, 429, 5xx). */
  maxRetries: z.number().int().min(0).default(3),
  /** Backoff base and cap, ms: delay before retry k is jittered in [0, min(cap, base * 2^(k-1))). */
  backoffBaseMs: z.number().nonnegative().default(1_000),
  backoffCapMs: z.number().nonnegative().default(30_000),
  /** Longest Retry-After honoured, ms. */
  retryAfterCapMs: z.number().nonnegative().default(120_000),
  /** Per-HTTP-request timeout, ms (body included). */
  timeoutMs: z.number().positive().default(30_000),
  circuit: circuitBreakerConfigSchema.prefault({}),
});

export type ProviderPolicy = z.infer<typeof providerPolicySchema>;
export type ProviderPolicyInput = z.input<typeof providerPolicySchema>;
