/**
 * Engine settings (SPEC.md k.4, m.17): every key has the range its meaning allows, one schema
 * per key shared by the contract's setSettings, every reader of the stored settings and the
 * flags that set the same value; a refusal names the key and the range.
 */
import { describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import { backupKeepSchema } from '../../../core/api/commands/maintenance-commands';
import { reconcileThresholdSchema } from '../../../core/api/commands/diagnostics-commands';
import { impliedVolSchema, maxMissingMarksSchema, riskFreeRateSchema, runOptionsSchema } from '../../../core/api/run-options';
import { engineSettingsSchema, parseEngineSettings, settingValueProblem, SETTING_KEYS, type SettingKey } from '../../../core/engine/settings';
import { providerPolicySchema } from '../../../market-data/resilience/retry-policy';

/** Values a user could save that no run can honour, with the range the refusal must name. */
const REFUSED: readonly [SettingKey, unknown, string][] = [
  ['reconcile.threshold', -5, 'a number > 0'],
  ['reconcile.threshold', 0, 'a number > 0'],
  ['options.implied_vol', -1, 'a number > 0 and <= 5'],
  ['options.implied_vol', 6, 'a number > 0 and <= 5'],
  ['options.risk_free_rate', 50, 'a number from -0.5 to 1'],
  ['market_data.min_usable_coverage', 7, 'a number from 0 to 1'],
  ['market_data.settle_hour', 99, 'a whole number from 0 to 23'],
  ['market_data.settle_hour', 20.5, 'a whole number from 0 to 23'],
  ['market_data.jump_threshold', -1, 'a number > 0'],
  ['history.retention_days', -1, 'a number >= 0'],
  ['backup.keep_days', -1, 'a number >= 0'],
  ['fundamentals.profile_max_age_days', -3, 'a number >= 0'],
  ['stress.tlt_duration', -17, 'a number > 0'],
  ['backup.keep', 0, 'a whole number from 1 to 10000'],
  ['guard.max_missing_marks', 1.5, 'a number from 0 to 1'],
  ['marks.fallback_trading_days', 31, 'a whole number from 0 to 30'],
  ['market_data.rate_per_second', 0, 'a number > 0'],
  ['market_data.max_retries', -1, 'a whole number >= 0'],
  ['market_data.timeout_ms', 0, 'a number > 0'],
  ['market_data.backoff_base_ms', -1, 'a number >= 0'],
  ['lock.stale_after_ms', 0, 'a number > 0'],
  ['lock.heartbeat_interval_ms', -10, 'a number > 0'],
  ['options.implied_vol', 'high', 'a number > 0 and <= 5'],
  ['stress.ir_shock_mode', 'linear', 'one of "literal", "duration"'],
  ['guard.after_run', 'yes', 'true or false'],
];

/** The edges of each range, which must stay allowed. */
const ALLOWED: readonly [SettingKey, unknown][] = [
  ['reconcile.threshold', 0.01],
  ['options.implied_vol', 5],
  ['options.risk_free_rate', -0.5],
  ['options.risk_free_rate', 1],
  ['market_data.min_usable_coverage', 0],
  ['market_data.min_usable_coverage', 1],
  ['market_data.settle_hour', 0],
  ['market_data.settle_hour', 23],
  ['market_data.jump_threshold', 3],
  ['history.retention_days', 0],
  ['backup.keep_days', 0],
  ['fundamentals.profile_max_age_days', 0],
  ['stress.tlt_duration', 0.5],
  ['backup.keep', 1],
  ['guard.max_missing_marks', 1],
  ['marks.fallback_trading_days', 0],
  ['market_data.max_retries', 0],
  ['market_data.backoff_base_ms', 0],
];

describe('setting ranges', () => {
  it.each(REFUSED)('refuses %s = %j, naming the key and %s', (key, value, range) => {
    expect(settingValueProblem(key, value)).toBe(`setting ${key}: ${JSON.stringify(value)} is not allowed; it must be ${range}`);
  });

  it.each(ALLOWED)('allows %s = %j', (key, value) => {
    expect(settingValueProblem(key, value)).toBeNull();
  });

  it('allows every default', () => {
    const defaults = engineSettingsSchema.parse({}) as Record<SettingKey, unknown>;
    for (const key of SETTING_KEYS) expect(settingValueProblem(key, defaults[key]), key).toBeNull();
  });
});

describe('one schema per key', () => {
  it('the flags that set a setting use its schema: run --implied-vol, --risk-free-rate, --max-missing-marks, reconcile --threshold, backup --keep', () => {
    const setting = engineSettingsSchema.shape;
    const run = runOptionsSchema.shape;
    expect(setting['options.implied_vol'].unwrap()).toBe(impliedVolSchema);
    expect(run.impliedVol.unwrap()).toBe(impliedVolSchema);
    expect(setting['options.risk_free_rate'].unwrap()).toBe(riskFreeRateSchema);
    expect(run.riskFreeRate.unwrap()).toBe(riskFreeRateSchema);
    expect(setting['guard.max_missing_marks'].unwrap()).toBe(maxMissingMarksSchema);
    expect(run.maxMissingMarks.unwrap()).toBe(maxMissingMarksSchema);
    expect(setting['reconcile.threshold'].unwrap()).toBe(reconcileThresholdSchema);
    expect(setting['backup.keep'].unwrap()).toBe(backupKeepSchema);
  });

  it("the provider policy's waits and counts are the settings' schemas (m.17)", () => {
    const setting = engineSettingsSchema.shape;
    const policy = providerPolicySchema.shape;
    expect(policy.ratePerSecond).toBe(setting['market_data.rate_per_second']);
    expect(policy.maxRetries).toBe(setting['market_data.max_retries']);
    expect(policy.timeoutMs).toBe(setting['market_data.timeout_ms']);
    expect(policy.backoffBaseMs).toBe(setting['market_data.backoff_base_ms']);
    expect(policy.backoffCapMs).toBe(setting['market_data.backoff_cap_ms']);
    expect(policy.retryAfterCapMs).toBe(setting['market_data.retry_after_cap_ms']);
  });
});

describe('parseEngineSettings on stored values', () => {
  it('reads in-range values over the defaults', () => {
    const s = parseEngineSettings({ 'reconcile.threshold': 2.5, 'market_data.settle_hour': 18, gate: { state: 'open' } });
    expect(s['reconcile.threshold']).toBe(2.5);
    expect(s['market_data.settle_hour']).toBe(18);
    expect(s['backup.keep']).toBe(10);
  });

  it('refuses values out of range (a file edited by hand) as a data error naming every such key and its range', () => {
    let err: unknown;
    try {
      parseEngineSettings({ 'market_data.min_usable_coverage': 7, 'reconcile.threshold': 0, 'backup.keep': 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BatchdeskError);
    expect((err as BatchdeskError).code).toBe('data');
    expect((err as BatchdeskError).message).toBe(
      'invalid settings in the database: setting market_data.min_usable_coverage: 7 is not allowed; it must be a number from 0 to 1; ' +
        "setting reconcile.threshold: 0 is not allowed; it must be a number > 0. Delete the row so the default applies (in sqlite3 on the database file: DELETE FROM settings WHERE key IN ('market_data.min_usable_coverage', 'reconcile.threshold');), or store a valid value with the app contract's setSettings command",
    );
  });
});
