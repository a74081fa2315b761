/**
 * Configuration of the Yahoo adapter: the politeness policy (SPEC.md e.7, every wait a
 * setting per m.17) plus the provider aliases of e.5. Parse with `yahooConfigSchema`; every
 * field has the SPEC default, so `{}` is the production configuration.
 */
import { z } from 'zod';
import { providerPolicySchema } from '../resilience/retry-policy';

/** SPEC.md e.5 / k.4 `market_data.provider_aliases`: index underlyings under Yahoo's index symbols. */
export const DEFAULT_PROVIDER_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  VIX: '^VIX',
  SPX: '^SPX',
  NDX: '^NDX',
  RUT: '^RUT',
});

export const yahooConfigSchema = providerPolicySchema.extend({
  providerAliases: z.record(z.string(), z.string().min(1)).default({ ...DEFAULT_PROVIDER_ALIASES }),
});

export type YahooConfig = z.infer<typeof yahooConfigSchema>;
export type YahooConfigInput = z.input<typeof yahooConfigSchema>;
