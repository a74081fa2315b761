/**
 * The manifest written next to every backup (`<backup>.json`, SPEC.md j.1): schema,
 * created_at, source file name, reason, app version, migrations, SHA-256 of the file, row
 * counts per table and the integrity result. Restore checks the checksum when it exists.
 *
 * While the copy is written to `<backup>.partial`, a writer record beside it
 * (`<backup>.partial.writer.json`) names the database it copies and the process writing it, so
 * a later backup can tell a copy still being written from one a stopped backup left behind.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export const BACKUP_MANIFEST_SCHEMA = 'batchdesk.backup/1';

export const backupManifestSchema = z.object({
  schema: z.literal(BACKUP_MANIFEST_SCHEMA),
  created_at: z.string(),
  source: z.string(),
  file: z.string(),
  reason: z.string(),
  app_version: z.string(),
  migrations: z.array(z.string()),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int(),
  row_counts: z.record(z.string(), z.number().int()),
  integrity: z.string(),
  foreign_key_violations: z.number().int(),
  row_counts_verified: z.boolean(),
  mid_run: z.boolean(),
});

export type BackupManifest = z.infer<typeof backupManifestSchema>;

export const manifestPathOf = (backupFile: string): string => `${backupFile}.json`;

export function writeManifest(backupFile: string, manifest: BackupManifest): void {
  writeFileSync(manifestPathOf(backupFile), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The manifest of a backup: null when there is none; `invalid` when it does not parse. */
export function readManifest(backupFile: string): BackupManifest | null | 'invalid' {
  const p = manifestPathOf(backupFile);
  if (!existsSync(p)) return null;
  try {
    const r = backupManifestSchema.safeParse(JSON.parse(readFileSync(p, 'utf8')));
    return r.success ? r.data : 'invalid';
  } catch {
    return 'invalid';
  }
}

export const PARTIAL_WRITER_SCHEMA = 'batchdesk.partial-backup-writer/1';

export const partialWriterSchema = z.object({
  schema: z.literal(PARTIAL_WRITER_SCHEMA),
  /** The database file name, as a manifest's `source`. */
  source: z.string(),
  host: z.string(),
  pid: z.number().int(),
});

export type PartialWriter = z.infer<typeof partialWriterSchema>;

export const writerPathOf = (partial: string): string => `${partial}.writer.json`;

export function writePartialWriter(partial: string, writer: PartialWriter): void {
  writeFileSync(writerPathOf(partial), `${JSON.stringify(writer, null, 2)}\n`);
}

/**
 * A small JSON record kept beside a backup (a partial copy's writer, a later check): what `schema`
 * reads in the file at `path`, or null when there is none or it does not parse (its writer was
 * killed while writing it, or it was edited).
 */
export function readJsonRecord<T>(path: string, schema: z.ZodType<T>): T | null {
  if (!existsSync(path)) return null;
  try {
    return schema.safeParse(JSON.parse(readFileSync(path, 'utf8'))).data ?? null;
  } catch {
    return null;
  }
}

/** The writer record of a partial copy (readJsonRecord). */
export function readPartialWriter(partial: string): PartialWriter | null {
  return readJsonRecord(writerPathOf(partial), partialWriterSchema);
}
