/**
 * The manifest written next to every backup (`<backup>.json`, SPEC.md j.1): schema,
 * created_at, source file name, reason, app version, migrations, SHA-256 of the file, row
 * counts per table and the integrity result. Restore checks the checksum when it exists.
 *
 * While the copy is written to `<backup>.partial`, a writer record beside it
 * (`<backup>.partial.writer.json`) names the database it copies and the process writing it, so
 * a later backup can tell a copy still being written from one a stopped backup left behind. The
 * record says when the writer started (the machine's boot and the process's start), so a pid the
 * system later gives to another program is told apart from the writer.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { z } from 'zod';
import type { PartialBackupFacts, WriterStart } from '../../core/maintenance/backup-retention';

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
  /** When the writer started (machineBoot, processStartTicks); absent in records of older versions. */
  start: z.object({ boot_id: z.string().nullable(), booted_at_ms: z.number(), ticks: z.number().int().nullable() }).optional(),
});

export type PartialWriter = z.infer<typeof partialWriterSchema>;

/**
 * The boot of this machine: Linux's boot id (it changes at every boot), null elsewhere, and the
 * epoch ms it booted by the wall clock less the uptime (every system has it, a clock adjustment
 * moves it). A process of this boot and one of a boot before may share a pid.
 */
export function machineBoot(): Pick<WriterStart, 'bootId' | 'bootedAtMs'> {
  let bootId: string | null = null;
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    // not Linux, or /proc is not mounted: the boot time tells boots apart
  }
  return { bootId, bootedAtMs: Math.round(Date.now() - uptime() * 1000) };
}

/**
 * When the running process `pid` started, in clock ticks since boot (field 22 of Linux's
 * `/proc/<pid>/stat`): two processes of one boot given the same pid started at different ticks.
 * Null when it cannot be read (no such process, not Linux).
 */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2, in parentheses) may hold spaces and parentheses: count after it.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isSafeInteger(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** The writer record of a partial copy of the database file `source` that this process writes. */
export function thisProcessWriter(source: string): PartialWriter {
  const boot = machineBoot();
  return { schema: PARTIAL_WRITER_SCHEMA, source, host: hostname(), pid: process.pid, start: { boot_id: boot.bootId, booted_at_ms: boot.bootedAtMs, ticks: processStartTicks(process.pid) } };
}

/** A writer record as judgePartialBackup weighs it: its machine, its pid and, when recorded, when it started. */
export function partialWriterFacts(w: PartialWriter): NonNullable<PartialBackupFacts['writer']> {
  return { host: w.host, pid: w.pid, ...(w.start ? { start: { bootId: w.start.boot_id, bootedAtMs: w.start.booted_at_ms, ticks: w.start.ticks } } : {}) };
}

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
