/**
 * Settings keys (SPEC.md k.4 and m.17) that feed the Yahoo adapter's configuration.
 *
 * k.4 names rate_per_second, max_retries, timeout_ms and provider_aliases. m.17 requires the
 * retry backoff, Retry-After cap and circuit cooldown to be settings too; k.4 gives them no
 * names, so they are named here in the same style.
 */
import type { YahooConfigInput } from './yahoo-config';

export const YAHOO_SETTING_KEYS = {
  ratePerSecond: 'market_data.rate_per_second',
  maxRetries: 'market_data.max_retries',
  timeoutMs: 'market_data.timeout_ms',
  providerAliases: 'market_data.provider_aliases',
  backoffBaseMs: 'market_data.backoff_base_ms',
  backoffCapMs: 'market_data.backoff_cap_ms',
  retryAfterCapMs: 'market_data.retry_after_cap_ms',
  circuitCooldownMs: 'market_data.circuit_cooldown_ms',
  circuitCooldownMaxMs: 'market_data.circuit_cooldown_max_ms',
} as const;

/**
 * Builds the adapter configuration input from settings values (already JSON-decoded;
 * `undefined` or null = unset, SPEC default). Values are checked when the adapter parses the
 * result with yahooConfigSchema, whose fields are the settings' own schemas (a run has already
 * refused a stored value out of range when it read the settings).
 */
export function yahooConfigFromSettings(read: (key: string) => unknown): YahooConfigInput {
  const value = (key: string): unknown => {
    const v = read(key);
    return v === null ? undefined : v;
  };
  const input: Record<string, unknown> = {
    ratePerSecond: value(YAHOO_SETTING_KEYS.ratePerSecond),
    maxRetries: value(YAHOO_SETTING_KEYS.maxRetries),
    timeoutMs: value(YAHOO_SETTING_KEYS.timeoutMs),
    providerAliases: value(YAHOO_SETTING_KEYS.providerAliases),
    backoffBaseMs: value(YAHOO_SETTING_KEYS.backoffBaseMs),
    backoffCapMs: value(YAHOO_SETTING_KEYS.backoffCapMs),
    retryAfterCapMs: value(YAHOO_SETTING_KEYS.retryAfterCapMs),
    circuit: {
      cooldownMs: value(YAHOO_SETTING_KEYS.circuitCooldownMs),
      cooldownMaxMs: value(YAHOO_SETTING_KEYS.circuitCooldownMaxMs),
    },
  };
  return input as YahooConfigInput;
}
