/**
 * A backup killed right after renaming its checked copy to the backup, before it removed its
 * writer record (SPEC.md j.1), leaves a complete backup file and the record `<backup>.partial.writer.json`
 * with no partial copy. `backup list` does not show that record as a 0-byte incomplete backup
 * (the backup itself is listed), and the next backup removes the record without reporting an
 * incomplete backup it removed. A record whose backup file is not there stays an incomplete backup.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTIAL_WRITER_SCHEMA, manifestPathOf, writerPathOf } from '../../../db/maintenance/backup-manifest';
import { openStore } from '../../../host/engine-host';
import { makeBackup } from '../../../host/maintenance/backup';
import { systemClock } from '../../../host/system-ports';
import { exitedPid } from '../../support/child-processes';
import { tempDir } from '../../support/cli';
import { backupListOf, SAFE_NOW } from '../../support/safeguards';

const clock = systemClock({ BATCHDESK_NOW: SAFE_NOW });

async function backup(db: string) {
  const opened = openStore(db, { mustExist: true });
  try {
    return await makeBackup(opened, { reason: 'manual', holdsLock: false }, clock);
  } finally {
    opened.close();
  }
}

/** The writer record a killed backup of `db` to `file` left, naming a process that has exited. */
function leaveRecord(db: string, file: string): string {
  const record = writerPathOf(`${file}.partial`);
  writeFileSync(record, JSON.stringify({ schema: PARTIAL_WRITER_SCHEMA, source: basename(db), host: hostname(), pid: exitedPid() }));
  return record;
}

describe('the writer record of a backup killed right after its rename', () => {
  it('is no incomplete backup: not listed, and removed by the next backup without being reported', async () => {
    const db = `${tempDir('backup-finished-')}/portfolios.sqlite`;
    openStore(db).close();
    const killed = await backup(db);
    // Killed after the rename: the record is still there and the manifest not yet written.
    rmSync(manifestPathOf(killed.file));
    const record = leaveRecord(db, killed.file);

    const listed = backupListOf(db);
    expect(listed.incomplete).toEqual([]);
    expect(listed.backups.map((b) => [b.file, b.hasManifest])).toEqual([[killed.file, false]]);

    const next = await backup(db);
    expect(next.removedIncomplete).toEqual([]);
    expect(existsSync(record)).toBe(false);
    expect(existsSync(killed.file)).toBe(true);
  });

  it('a record whose backup file is not there is still an incomplete backup', async () => {
    const db = `${tempDir('backup-finished-')}/portfolios.sqlite`;
    openStore(db).close();
    const made = await backup(db);
    const file = made.file.replace('.manual.sqlite', '-9.manual.sqlite');
    leaveRecord(db, file);
    expect(backupListOf(db).incomplete.map((p) => [p.file, p.bytes, p.state])).toEqual([[`${file}.partial`, 0, 'abandoned']]);
  });
});
