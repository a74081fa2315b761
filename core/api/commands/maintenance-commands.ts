/** Data management commands (SPEC.md j.1-j.5, g.10): backup, restore, purge, rebuild, cancel. */
import { z } from 'zod';
import { calendarDateSchema } from '../../calendar/calendar-range-error';
import { endNotBeforeStart } from '../date-range';
import { defineCommand } from '../command-definition';
import { marketDataModeSchema } from '../run-options';

const record = z.record(z.string(), z.unknown());
const counts = z.record(z.string(), z.number().int());

/** Backup retention (j.2): `backup --keep` and the backup.keep setting, the newest backups kept. */
export const backupKeepSchema = z.number().int().min(1).max(10_000);

export const backupReasonSchema = z.enum(['manual', 'pre-purge', 'pre-rebuild', 'pre-restore', 'pre-import', 'scheduled']);

const rangeRefine = (o: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) => {
  if (o.from && o.to && o.to < o.from) ctx.addIssue({ code: 'custom', message: `--to ${o.to} is before --from ${o.from}`, path: ['to'] });
};

export const purgeInputSchema = z
  .object({
    from: calendarDateSchema.optional(),
    to: calendarDateSchema.optional(),
    portfolios: z.array(z.string().min(1)).default([]),
    keepTracking: z.boolean().default(false),
    backup: z.boolean().default(true),
    dryRun: z.boolean().default(false),
  })
  .superRefine(rangeRefine);

export const rebuildInputSchema = z
  .object({
    startDate: calendarDateSchema,
    endDate: calendarDateSchema.optional(),
    chunkDays: z.number().int().min(0).max(36_500).default(7),
    portfolios: z.array(z.string().min(1)).default([]),
    marketData: marketDataModeSchema.optional(),
    csvDir: z.string().min(1).optional(),
    monitorDays: z.number().int().min(0).max(60).default(3),
  })
  .superRefine(endNotBeforeStart);

const backupOutput = z.object({
  file: z.string(),
  manifestFile: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  rowCounts: counts,
  rowCountsVerified: z.boolean(),
  midRun: z.boolean(),
  warnings: z.array(z.string()),
  /** Older backups retention deleted (j.2). */
  deleted: z.array(z.string()),
  /** Partial copies stopped backups had left, removed before this one copied. */
  removedIncomplete: z.array(z.string()),
});

/** The latest check of a backup file after it was made (restore verifies it again, j.3); null when none. */
const lastVerificationSchema = z.object({ checkedAt: z.string(), stage: z.literal('restore'), ok: z.boolean(), problem: z.string().nullable() }).nullable();

/**
 * A backup in the backup folder: one with its manifest (j.1), or a file named as the backup
 * writer names backups whose manifest was deleted. Restore takes both; without a manifest it
 * has no checksum to compare and checks the file's integrity, foreign keys and migrations.
 */
export const listedBackupSchema = z.discriminatedUnion('hasManifest', [
  z.object({
    hasManifest: z.literal(true),
    file: z.string(),
    /** When it was made: its manifest's created_at. */
    madeAt: z.string(),
    reason: z.string(),
    sha256: z.string(),
    bytes: z.number().int(),
    rowCountsVerified: z.boolean(),
    lastVerification: lastVerificationSchema,
    /** Retention (j.2) may delete it: true for every backup with a manifest. */
    managedByRetention: z.literal(true),
  }),
  z.object({
    hasManifest: z.literal(false),
    file: z.string(),
    /** When it was made, from the UTC stamp in its name (to the second): no manifest says so. */
    madeAt: z.string(),
    /** From the file name (`<database file name>.<UTC>.<reason>.sqlite`). */
    reason: z.string(),
    bytes: z.number().int(),
    lastVerification: lastVerificationSchema,
    /** False: retention never deletes a file without a manifest; it is deleted by hand. */
    managedByRetention: z.literal(false),
  }),
]);
export type ListedBackupView = z.infer<typeof listedBackupSchema>;

/**
 * What a backup stopped while writing its copy (killed, crashed, the machine went down) left in
 * the backup folder: `<backup>.partial`, maybe with its journals and writer record (j.1). It is
 * no backup and cannot be restored. `state` says whether anything still writes it: `writing`
 * (its process on this machine runs: kept), `abandoned` (the next backup of this database in
 * this folder removes it), `unconfirmed` (its writer cannot be checked: the first backup from
 * `removableFrom` on removes it). `removal` says the same in words.
 */
export const incompleteBackupSchema = z.object({
  /** The partial copy, `<backup>.partial` (also when only its journals or writer record are left). */
  file: z.string(),
  /** Every file of it that exists: the copy, its journals, its writer record. */
  files: z.array(z.string()),
  /** Their size together. */
  bytes: z.number().int(),
  /** The newest change to its files. */
  lastWrittenAt: z.string(),
  ageMs: z.number().int().nonnegative(),
  /** The process that recorded itself as writing it; null when there is no record (an older batchdesk). */
  writer: z.object({ host: z.string(), pid: z.number().int() }).nullable(),
  state: z.enum(['writing', 'abandoned', 'unconfirmed']),
  removableFrom: z.string().nullable(),
  restorable: z.literal(false),
  removal: z.string(),
});
export type IncompleteBackupView = z.infer<typeof incompleteBackupSchema>;

export const backupListSchema = z.object({ dir: z.string(), backups: z.array(listedBackupSchema), incomplete: z.array(incompleteBackupSchema) });
export type BackupList = z.infer<typeof backupListSchema>;

export const maintenanceCommands = {
  createBackup: defineCommand({
    summary: 'make a verified online backup of the database (j.1) and apply retention (j.2)',
    input: z.object({ out: z.string().min(1).optional(), reason: backupReasonSchema.default('manual'), keep: backupKeepSchema.optional() }).default({ reason: 'manual' }),
    output: backupOutput,
    mutates: true,
  }),
  listBackups: defineCommand({
    summary: 'the backups of this database in the backup folder, newest first; files whose manifest is gone too',
    input: z.object({}).default({}),
    output: backupListSchema,
    mutates: false,
  }),
  restoreBackup: defineCommand({
    summary: 'restore a backup over the database after a safety backup (j.3)',
    input: z.object({ file: z.string().min(1), safetyBackup: z.boolean().default(true) }),
    output: z.object({
      database: z.string(),
      restoredFrom: z.string(),
      safetyBackup: z.string().nullable(),
      manifestChecked: z.boolean(),
      migrationsApplied: z.number().int(),
      rowCounts: counts,
      /** The copies a killed restore had left beside the database, removed before this one's copy; empty when none. */
      removedLeftovers: z.array(z.string()),
    }),
    mutates: true,
  }),
  purgeDerived: defineCommand({
    summary: 'delete derived rows of a range after a verified backup, with row counts (j.4)',
    input: purgeInputSchema,
    output: z.object({
      dryRun: z.boolean(),
      range: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
      portfolioIds: z.array(z.string()),
      backupFile: z.string().nullable(),
      countsBefore: counts,
      countsAfter: counts,
      deleted: counts,
      positionsReset: z.number().int(),
      portfoliosReset: z.number().int(),
      trackingDeleted: z.number().int(),
      trackingMarkedStale: z.number().int(),
      maintenanceId: z.number().int().nullable(),
      /** How a backfill rebuilds the purged rows: from startDate to the latest date; `automatic` when a run without dates does it. */
      rebuild: z.object({ startDate: z.string(), automatic: z.boolean() }).nullable(),
      /** The warnings `purge` prints: what taking the lock over from a killed rebuild did (closed it as failed, closed the gate over its range), then the pre-purge backup's (its retention pass); empty when none. */
      warnings: z.array(z.string()),
      /** When that takeover closed the gate: the killed rebuild's ways out (run it again, or restore its backup), the advice instead of `rebuild`'s run, which the closed gate refuses. */
      gateClosedWaysOut: z.string().nullable(),
    }),
    mutates: true,
  }),
  rebuildHistory: defineCommand({
    summary: 'backup, baseline, purge, backfill and verification of a range in one procedure (j.5)',
    input: rebuildInputSchema,
    output: z.object({
      status: z.enum(['success', 'failed']),
      range: z.object({ start: z.string(), end: z.string() }),
      folder: z.string(),
      backupFile: z.string().nullable(),
      steps: z.array(z.object({ step: z.string(), status: z.enum(['pass', 'fail', 'info', 'skipped']), detail: z.string(), durationMs: z.number().nonnegative() })),
      failures: z.array(z.string()),
      maintenanceId: z.number().int(),
      monitorDays: z.number().int(),
      runExitCode: z.number().int().nullable(),
    }),
    mutates: true,
  }),
  requestCancel: defineCommand({
    summary: 'ask the batch holding this database (any process) to stop (g.10); with runId, only while that run holds it',
    input: z
      .object({ force: z.boolean().default(false), waitMs: z.number().int().min(0).max(600_000).default(30_000), runId: z.string().min(1).optional() })
      .default({ force: false, waitMs: 30_000 }),
    output: z.object({ requested: z.boolean(), holder: record.nullable(), stopped: z.boolean(), forced: z.boolean(), message: z.string() }),
    mutates: true,
  }),
} as const;
