/**
 * Settings (SPEC.md k.4): read every key with its stored and default value, and write some.
 * The host validates each value with the engine's settings schema; unknown keys are refused.
 */
import { z } from 'zod';
import { defineCommand } from '../command-definition';

export const settingEntrySchema = z.object({
  key: z.string(),
  value: z.unknown(),
  defaultValue: z.unknown(),
  /** True when the settings table holds a row for the key. */
  stored: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type SettingEntry = z.infer<typeof settingEntrySchema>;

/** The scheduled-run setting of the desktop app (SPEC.md g.13, k.4). */
export const scheduleSettingSchema = z.object({
  enabled: z.boolean(),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  mode: z.enum(['normal', 'monitor']),
  monitor_until: z.string().nullable(),
});

export const settingsCommands = {
  getSettings: defineCommand({
    summary: 'every known setting with its value, default and whether it is stored',
    input: z.object({}).default({}),
    output: z.object({ settings: z.array(settingEntrySchema), extra: z.record(z.string(), z.unknown()) }),
    mutates: false,
  }),
  setSettings: defineCommand({
    summary: 'store settings (key -> JSON value); null deletes the row so the default applies',
    input: z.object({ values: z.record(z.string().min(1).max(100), z.unknown()) }),
    output: z.object({ changed: z.array(z.string()), settings: z.array(settingEntrySchema) }),
    mutates: true,
  }),
} as const;
