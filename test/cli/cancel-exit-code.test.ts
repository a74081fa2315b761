/**
 * `batchdesk cancel`'s exit code (SPEC.md g.10, k.3): a purge, restore or import holding the lock
 * cannot be cancelled, so nothing is stopped and the lock stays held: exit 3, the code of a
 * database locked by another operation, so a script does not go on as if the holder had been
 * stopped. A run asked to stop, or no holder at all, is exit 0.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../host/engine-host';
import { runCli, tempDir } from '../support/cli';
import { ENV, holdLockInChild, type LockHolder } from '../support/safeguards';

/** A new, empty batchdesk database: enough to hold a lock on. */
function newDb(): string {
  const path = join(tempDir('batchdesk-cancel-exit-'), 'portfolios.sqlite');
  openStore(path).close();
  return path;
}

let holder: LockHolder | null = null;
afterEach(async () => {
  await holder?.stop();
  holder = null;
});

describe('cancel exit code', () => {
  it('a purge holding the lock: exit 3, the holder named and kept, also with --json', async () => {
    const db = newDb();
    holder = await holdLockInChild(db, 'purge');
    const r = await runCli(['cancel', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^the purge holding the lock \(cli pid \d+ on .+, since .+\) cannot be cancelled; it releases the lock when it finishes, or stops on Ctrl-C in the terminal running it$/);
    const json = await runCli(['cancel', '--db', db, '--json'], ENV);
    expect(json.code, json.stderr).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ requested: false, stopped: false, holder: { kind: 'purge' } });
  });

  it('a run holding the lock is asked to stop: exit 0', async () => {
    const db = newDb();
    holder = await holdLockInChild(db, 'run');
    const r = await runCli(['cancel', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^cancel requested; run held-by-test \(pid \d+ on .+\) stops after its current portfolio-date$/);
  });

  it('nothing holding the lock: exit 0', async () => {
    const r = await runCli(['cancel', '--db', newDb()], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('no batch or maintenance operation holds the lock on this database; nothing to cancel');
  });
});
