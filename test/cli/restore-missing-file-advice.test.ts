/**
 * `restore` of a backup file that is not there says where to find one, as its other refusals do:
 * `batchdesk backup list` with the `--db` of the database being restored, and this database's
 * backup folder, the `<folder>` of the `<folder>/<file>` path to give (exit 5, k.3).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../host/engine-host';
import { runCli, tempDir } from '../support/cli';
import { ENV } from '../support/safeguards';

describe('restore of a missing backup file', () => {
  it('names the file, the command that lists the backups and their folder', async () => {
    const dir = tempDir('batchdesk-restore-missing-');
    const db = join(dir, 'q.db');
    openStore(db).close();
    const r = await runCli(['restore', join(dir, 'nope.sqlite'), '--db', db, '--yes'], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `error: backup file ${join(dir, 'nope.sqlite')} not found; list the backups with \`batchdesk backup list --db ${db}\` (this database's backups are in ${join(dir, 'backups')}; give one as ${join(dir, 'backups', '<file>')})`,
    );
  });
});
