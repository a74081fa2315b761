/**
 * Every wait and threshold of the provider politeness rules (SPEC.md e.7), as one zod schema
 * with the SPEC defaults. m.17: waits are settings, so tests shrink them to milliseconds; the
 * fields that are settings take the setting's schema, so both have one range and default.
 */
import { z } from 'zod';
import { engineSettingsSchema } from '../../core/engine/settings';

const setting = engineSettingsSchema.shape;

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
  cooldownMs: setting['market_data.circuit_cooldown_ms'],
  /** Longest cooldown, ms. */
  cooldownMaxMs: setting['market_data.circuit_cooldown_max_ms'],
});

export const providerPolicySchema = z.object({
  /** Token-bucket refill rate (requests per second). */
  ratePerSecond: setting['market_data.rate_per_second'],
  /** Token-bucket capacity. */
  burst: z.number().int().min(1).default(2),
  /** HTTP requests in flight at once. */
  maxInFlight: z.number().int().min(1).default(2),
  /** Retries of a retryable failure (network, timeout, 429, 5xx). */
  maxRetries: setting['market_data.max_retries'],
  /** Backoff base and cap, ms: delay before retry k is jittered in [0, min(cap, base * 2^(k-1))). */
  backoffBaseMs: setting['market_data.backoff_base_ms'],
  backoffCapMs: setting['market_data.backoff_cap_ms'],
  /** Longest Retry-After honoured, ms. */
  retryAfterCapMs: setting['market_data.retry_after_cap_ms'],
  /** Per-HTTP-request timeout, ms (body included). */
  timeoutMs: setting['market_data.timeout_ms'],
  circuit: circuitBreakerConfigSchema.prefault({}),
});

export type ProviderPolicy = z.infer<typeof providerPolicySchema>;
