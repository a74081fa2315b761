/** The import commands: a PostgreSQL dump (SPEC.md j.7, m.15) and closes from a CSV file (e.8, m.13, m.14). */
import { z } from 'zod';
import { defineCommand } from '../command-definition';

export const importModeSchema = z.enum(['new', 'replace', 'merge']);

export const importDumpInputSchema = z
  .object({
    /** The dump: a file (plain, custom, tar, wrapped) or a directory-format folder. */
    path: z.string().min(1),
    /**
     * new: write a fresh database file (`target`, else the host's database, which must not
     * exist); replace: replace the host's database after a verified backup; merge: merge into
     * it in one transaction.
     */
    mode: importModeSchema.default('new'),
    /** new mode only: the file to create instead of the host's database. */
    target: z.string().min(1).optional(),
    onConflict: z.enum(['skip', 'replace']).optional(),
    schema: z.string().min(1).default('public'),
    /** The database of a pg_dumpall cluster dump. */
    database: z.string().min(1).optional(),
    strict: z.boolean().default(false),
    /** Permit a dump with none of batchdesk's tables. */
    allowEmpty: z.boolean().default(false),
    /** Return the plan; read no rows and change nothing. */
    dryRun: z.boolean().default(false),
    /** Also write the report as JSON to this file. */
    reportPath: z.string().min(1).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.onConflict !== undefined && o.mode !== 'merge') ctx.addIssue({ code: 'custom', message: '--on-conflict applies only with --merge', path: ['onConflict'] });
    if (o.target !== undefined && o.mode !== 'new') ctx.addIssue({ code: 'custom', message: 'a target file applies only to an import into a new file', path: ['target'] });
  });

export type ImportDumpInput = z.infer<typeof importDumpInputSchema>;

/**
 * The largest CSV text importPrices takes: the request stays under the app's 10 MB JSON body
 * limit (m.19). A larger file goes through `batchdesk prices import FILE`.
 */
export const MAX_PRICES_CSV_CHARS = 8_000_000;

export const importPricesInputSchema = z.object({
  /** The file's text: `symbol,date,close[,volume]` (e.8's combined layout, as `prices import`). */
  text: z
    .string()
    .max(MAX_PRICES_CSV_CHARS, `the file is larger than ${MAX_PRICES_CSV_CHARS / 1_000_000} MB: import it with \`batchdesk prices import FILE\``),
  /** The file's name, as problems name it. */
  fileName: z.string().min(1),
  /** Skip bad rows (each reported) instead of refusing the whole file. */
  skipBadRows: z.boolean().default(false),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const importCommands = {
  importDump: defineCommand({
    summary: 'import a PostgreSQL dump into a new database file, or replace or merge into this one (j.7)',
    input: importDumpInputSchema,
    output: z.object({
      dryRun: z.boolean(),
      mode: importModeSchema,
      /** The database written (or that would be written). */
      database: z.string(),
      /** The verified pre-import backup (replace, merge). */
      backupFile: z.string().nullable(),
      /** The import report (j.7 "Report"); null for a dry run. */
      report: z.record(z.string(), z.unknown()).nullable(),
      /** The plan of a dry run; null otherwise. */
      plan: z.record(z.string(), z.unknown()).nullable(),
      /** The report as text, as the CLI prints it. */
      text: z.string(),
    }),
    mutates: true,
  }),
  importPrices: defineCommand({
    summary: 'add closes from CSV text to the price cache, all or nothing, and mark stale the processed work that read a changed close (e.8, m.14)',
    input: importPricesInputSchema,
    output: z.object({
      file: z.string(),
      rows: z.number().int(),
      symbols: z.number().int(),
      inserted: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      /** Rows whose stored close stayed: a jump over a stored valid close (m.13). */
      keptStored: z.number().int(),
      jumps: z.array(z.object({ symbol: z.string(), date: isoDate, close: z.number(), reference: z.number(), storedCloseKept: z.boolean(), storedClose: z.number().nullable() })),
      /** The processed dates that read a close this import changed and are stale after it (marked now or already); `run --retry-failed-phases` over them recomputes that work. */
      stale: z.object({ dates: z.number().int(), first: isoDate.nullable(), last: isoDate.nullable() }),
      /** The bad rows skipped (with skipBadRows), each as "file line N, column C (name): problem". */
      skipped: z.array(z.string()),
      /** Imported symbols no lot and no factor needs (a typo?). */
      unneededSymbols: z.array(z.string()),
      /** What taking the lock over from a killed rebuild did (closed it as failed, closed the gate over its range) and its ways out, as `prices import` prints them; empty otherwise. */
      warnings: z.array(z.string()),
    }),
    mutates: true,
  }),
} as const;
