/**
 * Configuration of the Yahoo adapter: the politeness policy (SPEC.md e.7, every wait a
 * setting per m.17) plus the provider aliases of e.5. Parse with `yahooConfigSchema`; every
 * field has the SPEC default, so `{}` is the production configuration.
 */
import type { z } from 'zod';
import { engineSettingsSchema } from '../../core/engine/settings';
import { providerPolicySchema } from '../resilience/retry-policy';

const aliasesSetting = engineSettingsSchema.shape['market_data.provider_aliases'];

/** SPEC.md e.5 / k.4 `market_data.provider_aliases`: index underlyings under Yahoo's index symbols. */
export const DEFAULT_PROVIDER_ALIASES: Readonly<Record<string, string>> = Object.freeze(aliasesSetting.parse(undefined));

export const yahooConfigSchema = providerPolicySchema.extend({ providerAliases: aliasesSetting });

export type YahooConfig = z.infer<typeof yahooConfigSchema>;
export type YahooConfigInput = z.input<typeof yahooConfigSchema>;
