/** The PostgreSQL dump import command (SPEC.md j.7, m.15). */
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
} as const;
