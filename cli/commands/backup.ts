/** `batchdesk backup`, `backup list`, `restore`: verified backups, the backups list and restores (SPEC.md j.1-j.3). */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { backupCheckText } from '../../core/api/backup-check-text';
import { BatchdeskError, EXIT } from '../../core/api/errors';
import { backupKeepSchema, backupReasonSchema, type BackupList } from '../../core/api/commands/maintenance-commands';
import { folderLocationProblem, resolveOutputPath } from '../../db/maintenance/database-paths';
import { createEngineStore } from '../../db/engine-store';
import { openDatabase, refuseReadOnlyDatabase } from '../../db/open-database';
import { openStore } from '../../host/engine-host';
import { backupDirOf, backupList, makeBackup, retentionKeptText } from '../../host/maintenance/backup';
import { restoreBackup, verifyBackupFile } from '../../host/maintenance/restore';
import { removedLeftoversText } from '../../core/api/restore-words';
import { systemClock } from '../../host/system-ports';
import { stringFlag } from '../args';
import { BANNER, asciiJson, table } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';
import { readNumberFlag, type NumberFlag } from '../number-flag';
import { parseOrUsage } from '../validate';
import { confirmOrAbort } from './confirm';

const KEEP_NUMBER: NumberFlag = { name: '--keep', range: backupKeepSchema, example: '10' };

export const backupCommand: CommandSpec = {
  name: 'backup',
  summary: 'make a verified online backup (integrity, foreign keys, migrations, row counts, SHA-256 manifest)',
  flags: {
    out: {
      type: 'string',
      valueName: 'PATH',
      description: 'backup file, or a folder to write it into under the automatic name: an existing folder, or a path ending in / (created when missing)',
      defaultText: '<backup.dir>/<db file name>.<UTC>.<reason>.sqlite',
    },
    reason: { type: 'string', valueName: 'TEXT', description: 'manual, pre-purge, pre-rebuild, pre-restore, pre-import or scheduled', defaultText: 'manual' },
    keep: {
      type: 'string',
      valueName: 'N',
      nonNegative: true,
      description:
        "retention after the backup: keep this database's newest N backups in the backup folder, or in the --out folder (pruned only when --keep is given), plus those younger than backup.keep_days and the newest of each reason; delete the rest. Refused with an --out file outside the backup folder",
      defaultText: 'backup.keep (10) in the backup folder; an --out folder is not pruned',
    },
    json: JSON_FLAG,
  },
  example: 'batchdesk backup --db portfolios.sqlite --out /backups/before-rebuild.sqlite',
  async run(ctx) {
    const f = ctx.flags;
    const reason = parseOrUsage(backupReasonSchema, stringFlag(f['reason']) ?? 'manual', 'backup', '--reason');
    const keep = readNumberFlag(KEEP_NUMBER, stringFlag(f['keep']), 'backup');
    const clock = systemClock(ctx.io.env);
    const opened = openStore(ctx.global.dbPath, { mustExist: true });
    try {
      const out = stringFlag(f['out']);
      // A first Ctrl-C or SIGTERM stops the copy: nothing is half-done that is worth finishing.
      const r = await makeBackup(opened, { reason, ...(out ? { out: resolveOutputPath(ctx.io.cwd, out) } : {}), ...(keep !== undefined ? { keep } : {}), holdsLock: false, signal: ctx.signal }, clock);
      for (const w of r.warnings) ctx.io.err(`warning: ${w}`);
      if (f['json']) ctx.io.out(asciiJson({ file: r.file, manifest: r.manifest, warnings: r.warnings, deleted: r.deleted, kept: r.kept, removedIncomplete: r.removedIncomplete }, 2));
      else {
        ctx.io.out(
          [
            BANNER,
            `batchdesk backup  ${ctx.global.dbPath}`,
            BANNER,
            `Backup:     ${r.file}`,
            `Manifest:   ${r.manifestFile}`,
            `SHA-256:    ${r.manifest.sha256}`,
            `Size:       ${r.manifest.bytes} bytes   Tables: ${Object.keys(r.manifest.row_counts).length}   Rows: ${Object.values(r.manifest.row_counts).reduce((a, b) => a + b, 0)}`,
            `Verified:   integrity ${r.manifest.integrity}, foreign keys ok, migrations equal${r.manifest.row_counts_verified ? ', row counts equal' : ' (mid-run image: row counts not compared)'}`,
            ...(r.kept ? [`Retention:  ${retentionKeptText(r.kept)}${r.deleted.length ? `; deleted ${r.deleted.length} older backup(s)` : ''}`, ...r.deleted.map((d) => `  ${d}`)] : []),
            ...(r.removedIncomplete.length
              ? [`Removed:    ${r.removedIncomplete.length} incomplete backup(s) that stopped backups had left (partial copies nothing writes any more)`, ...r.removedIncomplete.map((d) => `  ${d}`)]
              : []),
          ].join('\n'),
        );
      }
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};

/** A stored timestamp as the CLI prints times: `YYYY-MM-DD HH:MM:SS` (UTC). */
const timeText = (ts: string): string => ts.slice(0, 19).replace('T', ' ');

/** An age at the precision that matters for a leftover file: `40 s`, `12 min`, `5 h 03 min`, `3 d 2 h`. */
function ageText(ms: number): string {
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (s < 60) return `${s} s`;
  if (m < 60) return `${m} min`;
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The partial copies stopped backups left (backupList's `incomplete`): what each is and what removes it. */
function incompleteLines(incomplete: BackupList['incomplete']): string[] {
  if (incomplete.length === 0) return [];
  const bytes = incomplete.reduce((n, p) => n + p.bytes, 0);
  return [
    '',
    'Incomplete backups: partial copies of backups stopped while writing them (killed, crashed, the machine went down). They cannot be restored.',
    table(
      ['file', 'last written (UTC)', 'age', 'bytes', 'removal'],
      incomplete.map((p) => [basename(p.file), timeText(p.lastWrittenAt), ageText(p.ageMs), String(p.bytes), p.removal]),
      ['l', 'l', 'r', 'r', 'l'],
    ),
    '',
    `${incomplete.length} incomplete backup(s), ${bytes} bytes. A backup of this database into this folder removes those nothing writes any more; delete one by hand only when no backup is writing it.`,
  ];
}

/**
 * What an empty listing says: how to make a backup, or, when the backup folder does not exist
 * and cannot be made (its nearest existing folder is a file, or not writable), that no backup
 * can be made until backup.dir names a folder that can (it said "No backups yet: `batchdesk
 * backup` makes one", and that backup then failed).
 */
function emptyListText(dir: string, ownFolder: boolean, db: string): string {
  if (ownFolder) return 'No backups of this database in this folder.';
  const problem = existsSync(dir) ? null : folderLocationProblem(dir);
  if (problem) return `No backups, and none can be made: the backup folder cannot be created (${problem}). Set backup.dir to a folder that can be written, or back up elsewhere with \`batchdesk backup --out FOLDER/${db}\`.`;
  return `No backups yet: \`batchdesk backup${db}\` makes one.`;
}

export const backupListCommand: CommandSpec = {
  name: 'backup list',
  summary:
    "the database's backups in the backup folder, newest first, with how each was checked (also files whose manifest is gone, which retention never deletes), and the partial copies stopped backups left, with what removes them",
  flags: {
    dir: { type: 'string', valueName: 'FOLDER', description: 'list the backups of this database in another folder (one `backup --out FOLDER/` wrote to)', defaultText: 'the backup folder' },
    json: JSON_FLAG,
  },
  example: 'batchdesk backup list --db portfolios.sqlite',
  async run(ctx) {
    const dir = stringFlag(ctx.flags['dir']);
    const folder = dir === undefined ? undefined : existingFolder(resolve(ctx.io.cwd, dir));
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    try {
      const list = backupList(opened, folder);
      if (ctx.flags['json']) {
        ctx.io.out(asciiJson(list, 2));
        return EXIT.ok;
      }
      const bare = list.backups.filter((b) => !b.hasManifest).length;
      // A folder of the user's own (`backup --out FOLDER/`) is pruned only when a backup into it is given --keep (j.2).
      const ownFolder = resolve(list.dir) !== resolve(backupDirOf(opened));
      const managed = ownFolder ? 'with --keep' : 'managed';
      ctx.io.out(
        [
          BANNER,
          `batchdesk backup list  ${ctx.global.dbPath}`,
          BANNER,
          `Folder: ${list.dir}${ownFolder ? ' (not the backup folder: retention prunes it only when a backup into it is given --keep)' : ''}`,
          ...(list.backups.length === 0
            ? [emptyListText(list.dir, ownFolder, advisedDbFlag(ctx.global))]
            : [
                table(
                  ['file', 'made (UTC)', 'reason', 'bytes', 'retention', 'verified'],
                  list.backups.map((b) => [basename(b.file), timeText(b.madeAt), b.reason, String(b.bytes), b.hasManifest ? managed : 'not managed', backupCheckText(b, timeText)]),
                  ['l', 'l', 'l', 'r', 'l', 'l'],
                ),
                '',
                `${list.backups.length} backup(s)${bare > 0 ? `, ${bare} without a manifest (restore checks their integrity first; no checksum to compare; not managed by retention, which never deletes them: delete them by hand when no longer needed)` : ''}. Restore one with \`batchdesk restore <folder>/<file>${advisedDbFlag(ctx.global)}\`.`,
              ]),
          ...incompleteLines(list.incomplete),
        ].join('\n'),
      );
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};

/** `--dir`'s folder, when it is one: anything else is a usage error that says what it is. */
function existingFolder(path: string): string {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new BatchdeskError('usage', `--dir: there is no folder ${path}; give the folder \`backup --out FOLDER/\` wrote to (or leave --dir out for the backup folder)`);
  }
  if (!isFolder) throw new BatchdeskError('usage', `--dir: ${path} is a file, not a folder; give the folder it is in, or \`batchdesk backup list\` without --dir for the backup folder`);
  return path;
}

/**
 * The backup folder of the database being restored (backupDirOf), for restore's not-found
 * message: read on a read-only connection, as restore reads the lock before its checks, so a
 * refused restore changes nothing; the `backups` folder beside a database that is not there yet.
 * Null when the database cannot be read (a damaged database is a reason to restore) or its
 * backup.dir setting is bad: the message then names only the command that lists the backups.
 */
function backupFolderOf(dbPath: string): string | null {
  if (!existsSync(dbPath)) return join(dirname(resolve(dbPath)), 'backups');
  try {
    const db = openDatabase(dbPath, { readonly: true });
    try {
      return backupDirOf({ db, store: createEngineStore(db), path: dbPath, close: () => db.close() });
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * Restore's backup file, checked before its question so a wrong path is said at once, not only
 * after `--yes` (the question would ask to replace the database with a file that is not there).
 * A missing file: where this database's backups are and the command that lists them, whose
 * `<folder>/<file>` is the path to give. A folder, device, pipe or socket: restore's own words
 * (verifyBackupFile refuses those before it reads anything). A file that cannot be read: why.
 */
function refuseUnusableBackupFile(file: string, dbPath: string, commandSuffix: string): void {
  if (!existsSync(file)) {
    const folder = backupFolderOf(dbPath);
    throw new BatchdeskError(
      'not_found',
      `backup file ${file} not found; list the backups with \`batchdesk backup list${commandSuffix}\`${folder ? ` (this database's backups are in ${folder}; give one as ${join(folder, '<file>')})` : ''}`,
    );
  }
  if (!statSync(file).isFile()) verifyBackupFile(file, commandSuffix);
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    throw new BatchdeskError('io', `cannot read backup file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give a backup file this user can read`);
  }
}

export const restoreCommand: CommandSpec = {
  name: 'restore',
  summary: 'restore a verified backup over the database (a safety backup is taken first)',
  positionals: [{ name: 'backup-file', required: true, description: "the backup to restore: a path from the current folder, as `backup list` prints it (<folder>/<file>; the backup folder is <db folder>/backups unless backup.dir says otherwise)" }],
  flags: {
    yes: { type: 'boolean', description: 'do not ask for confirmation' },
    'no-safety-backup': { type: 'boolean', description: 'skip the safety backup of the current database' },
    json: JSON_FLAG,
  },
  example: 'batchdesk restore /data/backups/portfolios.sqlite.20251107T223000Z.pre-purge.sqlite --db /data/portfolios.sqlite --yes',
  async run(ctx) {
    const clock = systemClock(ctx.io.env);
    const file = ctx.positionals[0]!;
    // A database that cannot be written cannot be replaced either: refused before the question, as `run` refuses it.
    refuseReadOnlyDatabase(ctx.global.dbPath);
    const backupFile = resolve(ctx.io.cwd, file);
    refuseUnusableBackupFile(backupFile, ctx.global.dbPath, advisedDbFlag(ctx.global));
    await confirmOrAbort(`Replace ${ctx.global.dbPath} with ${file}?`, ctx.flags['yes'] === true);
    const r = await restoreBackup(
      { dbPath: ctx.global.dbPath, file: backupFile, safetyBackup: ctx.flags['no-safety-backup'] !== true, holder: 'cli', commandSuffix: advisedDbFlag(ctx.global), signal: ctx.signal },
      clock,
    );
    for (const w of r.safetyBackupWarnings ?? []) ctx.io.err(`warning: ${w}`);
    if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
    else
      ctx.io.out(
        [
          BANNER,
          `batchdesk restore  ${r.database}`,
          BANNER,
          `Restored from:  ${r.restoredFrom}${r.manifestChecked ? ' (manifest checksum verified)' : ' (no manifest)'}`,
          `Safety backup:  ${r.safetyBackup ?? (ctx.flags['no-safety-backup'] === true ? 'none (--no-safety-backup)' : 'none (there was no database to back up)')}`,
          `Migrations applied after restore: ${r.migrationsApplied}`,
          `Rows: ${Object.values(r.rowCounts).reduce((a, b) => a + b, 0)} in ${Object.keys(r.rowCounts).length} tables`,
          ...(r.removedLeftovers ? [`Before the copy it ${removedLeftoversText(r.removedLeftovers)}`] : []),
        ].join('\n'),
      );
    return EXIT.ok;
  },
};
