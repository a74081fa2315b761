import { describe, expect, it } from 'vitest';
import { yahooConfigSchema } from '../../../market-data/yahoo/yahoo-config';
import { YAHOO_SETTING_KEYS, yahooConfigFromSettings } from '../../../market-data/yahoo/yahoo-settings';

describe('Yahoo adapter configuration (SPEC e.7, k.4, m.17)', () => {
  it('defaults to the SPEC values', () => {
    expect(yahooConfigSchema.parse({})).toEqual({
      ratePerSecond: 1,
      burst: 2,
      maxInFlight: 2,
      maxRetries: 3,
      backoffBaseMs: 1_000,
      backoffCapMs: 30_000,
      retryAfterCapMs: 120_000,
      timeoutMs: 30_000,
      circuit: { consecutiveFailures: 5, windowSize: 20, windowMinRequests: 10, windowFailureRatio: 0.5, cooldownMs: 60_000, cooldownMaxMs: 600_000 },
      providerAliases: { VIX: '^VIX', SPX: '^SPX', NDX: '^NDX', RUT: '^RUT' },
    });
  });

  it('reads settings keys, unset ones keep their defaults', () => {
    const settings: Record<string, unknown> = {
      [YAHOO_SETTING_KEYS.ratePerSecond]: 5,
      [YAHOO_SETTING_KEYS.timeoutMs]: 250,
      [YAHOO_SETTING_KEYS.backoffBaseMs]: 1,
      [YAHOO_SETTING_KEYS.circuitCooldownMs]: 20,
      [YAHOO_SETTING_KEYS.providerAliases]: { VIX: '^VIX' },
      [YAHOO_SETTING_KEYS.maxRetries]: null,
    };
    const config = yahooConfigSchema.parse(yahooConfigFromSettings((k) => settings[k]));
    expect(config).toMatchObject({ ratePerSecond: 5, timeoutMs: 250, backoffBaseMs: 1, maxRetries: 3, providerAliases: { VIX: '^VIX' } });
    expect(config.circuit).toMatchObject({ cooldownMs: 20, cooldownMaxMs: 600_000, consecutiveFailures: 5 });
  });

  it('rejects impossible values with the field named', () => {
    const r = yahooConfigSchema.safeParse({ ratePerSecond: 0 });
    expect(r.success).toBe(false);
    expect(!r.success && r.error.issues[0]!.path).toEqual(['ratePerSecond']);
  });
});
