/**
 * Engine settings (SPEC.md k.4, m.17): the settings table's values over the built-in
 * defaults, each parsed with zod. Flags override them per run (resolveRunSettings).
 */
import { z } from 'zod';

const num = (d: number) => z.number().finite().default(d);

export const engineSettingsSchema = z.object({
  'market_data.mode': z.enum(['online', 'offline', 'synthetic']).default('online'),
  'market_data.csv_dir': z.string().nullable().default(null),
  'market_data.fetch_option_contracts': z.boolean().default(false),
  'market_data.settle_hour': num(20),
  'market_data.jump_threshold': num(0.5),
  'market_data.min_usable_coverage': num(0.5),
  'market_data.rate_per_second': num(1),
  'market_data.max_retries': num(3),
  'market_data.timeout_ms': num(30_000),
  'market_data.backoff_base_ms': num(1000),
  'market_data.backoff_cap_ms': num(30_000),
  'market_data.retry_after_cap_ms': num(120_000),
  'market_data.circuit_cooldown_ms': num(60_000),
  'market_data.circuit_cooldown_max_ms': num(600_000),
  'market_data.provider_aliases': z.record(z.string(), z.string()).default({ VIX: '^VIX', SPX: '^SPX', NDX: '^NDX', RUT: '^RUT' }),
  'fundamentals.profile_max_age_days': num(7),
  'marks.fallback_trading_days': z.number().int().min(0).max(30).default(5),
  'options.implied_vol': num(0.3),
  'options.risk_free_rate': num(0.04),
  'guard.max_missing_marks': z.number().min(0).max(1).default(0.05),
  'guard.after_run': z.boolean().default(true),
  'stress.include_inactive': z.boolean().default(false),
  'stress.ir_shock_mode': z.enum(['literal', 'duration']).default('literal'),
  'stress.tlt_duration': num(17),
  'reconcile.threshold': num(1),
  'backup.dir': z.string().nullable().default(null),
  'backup.keep': z.number().int().min(1).default(10),
  'backup.keep_days': num(30),
  'history.retention_days': num(365),
  'lock.heartbeat_interval_ms': num(10_000),
  'lock.stale_after_ms': num(300_000),
});

export type EngineSettings = z.infer<typeof engineSettingsSchema>;
export type SettingKey = keyof EngineSettings;

export const SETTING_KEYS = Object.keys(engineSettingsSchema.shape) as SettingKey[];

/** Parses stored settings (unknown keys such as gate, synthetic, schedule are kept apart). */
export function parseEngineSettings(stored: Record<string, unknown>): EngineSettings {
  const known: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) if (stored[k] !== undefined && stored[k] !== null) known[k] = stored[k];
  const r = engineSettingsSchema.safeParse(known);
  if (r.success) return r.data;
  const bad = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`invalid settings in the database (${bad}); fix them with \`batchdesk settings\` or delete the rows`);
}

/**
 * Why a run would mix real and synthetic prices (an online run on a database that holds
 * synthetic prices, without --allow-mixed-sources), or null: the run is refused with it, and a
 * dry run lists it as a warning (g.4).
 */
export function mixedSourcesProblem(stored: Record<string, unknown>, settings: EngineSettings, options: { readonly allowMixedSources: boolean }): string | null {
  if (settings['market_data.mode'] !== 'online' || stored['synthetic'] === undefined || options.allowMixedSources) return null;
  return 'this database holds synthetic prices; an online run would mix them with real ones. Use --market-data synthetic (or offline), or pass --allow-mixed-sources.';
}
