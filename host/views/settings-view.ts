/**
 * Settings (SPEC.md k.4): every engine key with its stored value and default, and validated
 * writes. A value is checked with the key's own schema from the engine settings, the one every
 * reader of the stored settings parses with, and a refusal names the key and its range;
 * `schedule` with the contract's schedule schema. Other stored keys (gate, synthetic,
 * maintenance) are written by their owners and shown read-only.
 */
import { scheduleSettingSchema, type SettingEntry } from '../../core/api/commands/settings-commands';
import { usageError } from '../../core/api/errors';
import { engineSettingsSchema, SETTING_KEYS, settingValueProblem, type SettingKey } from '../../core/engine/settings';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { SqliteDatabase } from '../../db/open-database';

const DEFAULTS = engineSettingsSchema.parse({}) as Record<string, unknown>;
const SCHEDULE_DEFAULT = { enabled: false, time: '18:30', mode: 'normal', monitor_until: null };

export const WRITABLE_KEYS: readonly string[] = [...SETTING_KEYS, 'schedule'];

export function readSettings(db: SqliteDatabase): { settings: SettingEntry[]; extra: Record<string, unknown> } {
  const rows = db.prepare(`SELECT key, value, updated_at FROM settings ORDER BY key`).all() as { key: string; value: string; updated_at: string | null }[];
  const stored = new Map(rows.map((r) => [r.key, r]));
  const settings: SettingEntry[] = WRITABLE_KEYS.map((key) => {
    const row = stored.get(key);
    const defaultValue = key === 'schedule' ? SCHEDULE_DEFAULT : DEFAULTS[key];
    return { key, value: row ? JSON.parse(row.value) : defaultValue, defaultValue, stored: row !== undefined, updatedAt: row?.updated_at ?? null };
  });
  const extra: Record<string, unknown> = {};
  for (const r of rows) if (!WRITABLE_KEYS.includes(r.key)) extra[r.key] = JSON.parse(r.value);
  return { settings, extra };
}

/** Validates every value first (all or nothing), then writes them in one transaction. */
export function writeSettings(db: SqliteDatabase, values: Record<string, unknown>, nowMs: number): string[] {
  const parsed: [string, unknown][] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!WRITABLE_KEYS.includes(key)) throw usageError(`unknown setting ${JSON.stringify(key)}; known settings: ${WRITABLE_KEYS.join(', ')}`);
    if (value === null) {
      parsed.push([key, null]);
      continue;
    }
    if (key === 'schedule') {
      const r = scheduleSettingSchema.safeParse(value);
      if (!r.success) throw usageError(`setting schedule: ${r.error.issues[0]?.message ?? 'invalid value'}`, { key, issues: r.error.issues.slice(0, 5) });
      parsed.push([key, r.data]);
      continue;
    }
    const problem = settingValueProblem(key as SettingKey, value);
    if (problem) throw usageError(problem, { key, value });
    parsed.push([key, value]);
  }
  const now = formatTimestamp(nowMs);
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE settings.value IS NOT excluded.value`,
  );
  const del = db.prepare(`DELETE FROM settings WHERE key = ?`);
  const changed: string[] = [];
  db.transaction(() => {
    for (const [key, value] of parsed) {
      const n = value === null ? del.run(key).changes : upsert.run(key, JSON.stringify(value), now).changes;
      if (n > 0) changed.push(key);
    }
  }).immediate();
  return changed;
}
