/**
 * Engine settings (SPEC.md k.4, m.17): the settings table's values over the built-in
 * defaults, each parsed with zod. Flags override them per run (resolveRunSettings).
 *
 * Each key has one schema with the range its meaning allows. The contract's setSettings
 * checks a value with it, and every reader of the stored settings parses with it; a key that a
 * flag also sets shares the flag's schema (core/api). Waits and counts of the provider's
 * politeness rules (e.7, m.17) are read from here by the provider policy too.
 */
import { z } from 'zod';
import { dataError } from '../api/errors';
import { numberRangeWords } from '../api/issue-words';
import { backupKeepSchema } from '../api/commands/maintenance-commands';
import { reconcileThresholdSchema } from '../api/commands/diagnostics-commands';
import { impliedVolSchema, marketDataModeSchema, maxMissingMarksSchema, riskFreeRateSchema } from '../api/run-options';

/** A wait in milliseconds; 0 waits not at all (tests shrink waits, m.17). */
const waitMs = (d: number) => z.number().nonnegative().default(d);

export const engineSettingsSchema = z.object({
  'market_data.mode': marketDataModeSchema.default('online'),
  'market_data.csv_dir': z.string().nullable().default(null),
  'market_data.fetch_option_contracts': z.boolean().default(false),
  /** e.3: the New York hour of a trading day after which its close counts as settled. */
  'market_data.settle_hour': z.number().int().min(0).max(23).default(20),
  /** e.4: a one-day move beyond this fraction of the previous close is flagged as a jump. */
  'market_data.jump_threshold': z.number().positive().default(0.5),
  /** c.5: the least share of the needed symbols with a close for the date not to fail. */
  'market_data.min_usable_coverage': z.number().min(0).max(1).default(0.5),
  'market_data.rate_per_second': z.number().positive().default(1),
  'market_data.max_retries': z.number().int().min(0).default(3),
  'market_data.timeout_ms': z.number().positive().default(30_000),
  'market_data.backoff_base_ms': waitMs(1000),
  'market_data.backoff_cap_ms': waitMs(30_000),
  'market_data.retry_after_cap_ms': waitMs(120_000),
  'market_data.circuit_cooldown_ms': waitMs(60_000),
  'market_data.circuit_cooldown_max_ms': waitMs(600_000),
  'market_data.provider_aliases': z.record(z.string(), z.string().min(1)).default({ VIX: '^VIX', SPX: '^SPX', NDX: '^NDX', RUT: '^RUT' }),
  /** c.6: days after which a profile is fetched again; 0 refreshes every run. */
  'fundamentals.profile_max_age_days': z.number().nonnegative().default(7),
  'marks.fallback_trading_days': z.number().int().min(0).max(30).default(5),
  'options.implied_vol': impliedVolSchema.default(0.3),
  'options.risk_free_rate': riskFreeRateSchema.default(0.04),
  'guard.max_missing_marks': maxMissingMarksSchema.default(0.05),
  'guard.after_run': z.boolean().default(true),
  'stress.include_inactive': z.boolean().default(false),
  'stress.ir_shock_mode': z.enum(['literal', 'duration']).default('literal'),
  /** d.12: TLT's duration in years, for the duration shock mode. */
  'stress.tlt_duration': z.number().positive().default(17),
  'reconcile.threshold': reconcileThresholdSchema.default(1),
  'backup.dir': z.string().nullable().default(null),
  'backup.keep': backupKeepSchema.default(10),
  /** j.2: backups younger than this many days are kept; 0 turns the age rule off. */
  'backup.keep_days': z.number().nonnegative().default(30),
  /** h.6: run history older than this many days is pruned at run start. */
  'history.retention_days': z.number().nonnegative().default(365),
  'lock.heartbeat_interval_ms': z.number().positive().default(10_000),
  'lock.stale_after_ms': z.number().positive().default(300_000),
});

export type EngineSettings = z.infer<typeof engineSettingsSchema>;
export type SettingKey = keyof EngineSettings;

export const SETTING_KEYS = Object.keys(engineSettingsSchema.shape) as SettingKey[];

/**
 * A setting's allowed values in words ("a whole number from 0 to 30", "a number > 0 and <= 5"
 * as numberRangeWords says them, "one of \"literal\", \"duration\""), read from its schema so
 * the words and the check cannot disagree; null when there is nothing short to say (paths,
 * alias maps).
 */
function allowedValues(schema: z.ZodType): string | null {
  const j = z.toJSONSchema(schema, { io: 'input' }) as { type?: string; enum?: unknown[] };
  if (j.enum) return `one of ${j.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (j.type === 'boolean') return 'true or false';
  return j.type === 'number' || j.type === 'integer' ? numberRangeWords(schema as z.ZodType<number>) : null;
}

/** Why `value` is not a valid value of the setting `key` (naming the key and what it allows), or null when it is. */
export function settingValueProblem(key: SettingKey, value: unknown): string | null {
  const schema = engineSettingsSchema.shape[key];
  const r = schema.safeParse(value);
  if (r.success) return null;
  const allowed = allowedValues(schema);
  return `setting ${key}: ${JSON.stringify(value)} is not allowed; ${allowed ? `it must be ${allowed}` : (r.error.issues[0]?.message ?? 'invalid value')}`;
}

/**
 * Parses the stored settings a command reads (unknown keys such as gate, synthetic, schedule are
 * kept apart). `overrides` are the command's flags for settings (`--implied-vol`,
 * `--threshold`, ...): they take the stored value's place before it is checked, so a flag gets
 * past a bad stored value. A stored value out of its range (a file edited by hand) among
 * `wanted` refuses the command as a data error naming every such key, its range and the SQL that
 * gives it its default back; nothing runs on a setting it cannot honour. A bad value of a key
 * the command does not read (say `options.implied_vol` for `backup`) does not stop it.
 */
export function parseSettings<K extends SettingKey>(stored: Record<string, unknown>, wanted: readonly K[], overrides: Partial<Pick<EngineSettings, K>> = {}): Pick<EngineSettings, K> {
  const out: Partial<Record<SettingKey, unknown>> = {};
  const bad: K[] = [];
  const problems: string[] = [];
  for (const k of wanted) {
    // A missing or null value takes the default.
    const value = overrides[k] ?? stored[k] ?? undefined;
    const parsed = engineSettingsSchema.shape[k].safeParse(value);
    if (parsed.success) out[k] = parsed.data;
    else {
      bad.push(k);
      problems.push(settingValueProblem(k, value)!);
    }
  }
  if (bad.length === 0) return out as Pick<EngineSettings, K>;
  // Advice for the user to run in sqlite3; the engine never executes it.
  const keys = bad.map((k) => `'${k}'`).join(', ');
  const restoreDefaults = `DELETE FROM settings WHERE key IN (${keys});`;
  throw dataError(
    `invalid settings in the database: ${problems.join('; ')}. Delete the row so the default applies (in sqlite3 on the database file: ${restoreDefaults}), or store a valid value with the app contract's setSettings command`,
    { problems },
  );
}

/** Every engine setting, parsed as parseSettings does: what a run reads. */
export function parseEngineSettings(stored: Record<string, unknown>, overrides: Partial<EngineSettings> = {}): EngineSettings {
  return parseSettings(stored, SETTING_KEYS, overrides);
}

/**
 * Why `--csv-dir` cannot be used with the run's mode, or null: only `online` and `offline` read
 * a CSV folder (e.1); the synthetic generator answers every request, so a folder given with it
 * would never be read. Refused as a usage error (k.1: a conflicting combination), whether the
 * mode comes from --market-data or from the database's market_data.mode. A folder stored in the
 * setting market_data.csv_dir is no flag and is left alone.
 */
export function csvDirProblem(settings: EngineSettings, options: { readonly csvDir?: string | undefined; readonly marketData?: string | undefined }): string | null {
  if (options.csvDir === undefined || settings['market_data.mode'] !== 'synthetic') return null;
  const from = options.marketData === 'synthetic' ? '--market-data synthetic' : "this database's market_data.mode (synthetic)";
  return `--csv-dir ${options.csvDir} is read only by --market-data online (the folder, then Yahoo) or offline (the folder only); with ${from} the synthetic generator answers every request and the folder would never be read. Leave out --csv-dir, or choose --market-data offline or online`;
}

/**
 * Why the run's price source cannot be used as asked, or null: the run is refused with it (a
 * usage error, before anything is written), and a dry run lists it as a warning (g.4).
 * - An online run on a database that holds synthetic prices would mix them with real ones,
 *   unless --allow-mixed-sources.
 * - A synthetic run with a --seed other than the seed of the database's synthetic prices
 *   (settings.synthetic, recorded with the first of them, e.9) would continue their paths with
 *   another seed's, and the stored seed would no longer say where the prices came from.
 */
export function sourcesProblem(
  stored: Record<string, unknown>,
  settings: EngineSettings,
  /** `mixedSourcesFlag` false for a command without --allow-mixed-sources (rebuild): the advice leaves it out. */
  options: { readonly allowMixedSources: boolean; readonly seed?: number | undefined; readonly mixedSourcesFlag?: boolean },
  /** Appended to the command it advises (` --db PATH`), so it acts on this database as printed. */
  commandSuffix = '',
): string | null {
  const synthetic = stored['synthetic'] as { readonly seed?: unknown } | undefined;
  if (synthetic === undefined) return null;
  const mode = settings['market_data.mode'];
  if (mode === 'online' && !options.allowMixedSources) {
    return `this database holds synthetic prices; an online run would mix them with real ones. Use --market-data synthetic (or offline)${options.mixedSourcesFlag === false ? '' : ', or pass --allow-mixed-sources'}.`;
  }
  if (mode === 'synthetic' && options.seed !== undefined && options.seed !== synthetic.seed) {
    return `this database holds synthetic prices of seed ${String(synthetic.seed)}; a run cannot continue them with seed ${options.seed}. Leave out --seed to go on with seed ${String(synthetic.seed)}, or start the demo over with \`batchdesk seed-demo --reset --seed ${options.seed}${commandSuffix}\`.`;
  }
  return null;
}
