/**
 * seed-demo holds the run lock as its own kind, `seed`, so what a refused command or `cancel`
 * says names it as seed-demo, not as an import. run_lock.kind keeps the kinds SPEC.md b.4 fixes:
 * a seed's row is stored as `import`, told apart by its lock id `seed-<uuid>`, so databases and
 * versions that know no seed kind read it as before.
 */
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../core/domain/timestamp';
import { openStore } from '../../host/engine-host';
import { reapChildrenAfterEach, runningProcess } from '../support/child-processes';
import { runCli, tempDir } from '../support/cli';
import { execOn } from '../support/safeguards';

const NOW = '2025-12-31T23:00:00Z';
const children = reapChildrenAfterEach();

/** A new database whose run_lock rows are copied, as they are written, into `lock_seen`. */
function databaseRecordingLocks(): string {
  const db = join(tempDir('seed-lock-'), 'demo.db');
  openStore(db).close();
  execOn(db, (d) =>
    d.exec(`CREATE TABLE lock_seen (kind TEXT, run_id TEXT);
            CREATE TRIGGER record_lock AFTER INSERT ON run_lock BEGIN INSERT INTO lock_seen VALUES (NEW.kind, NEW.run_id); END;`),
  );
  return db;
}

describe('the lock seed-demo holds', () => {
  it('is stored as an import row with a seed lock id', async () => {
    const db = databaseRecordingLocks();
    const r = await runCli(['seed-demo', '--db', db, '--prices', 'none'], { BATCHDESK_NOW: NOW });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const seen = execOn(db, (d) => d.prepare(`SELECT kind, run_id FROM lock_seen`).all()) as { kind: string; run_id: string }[];
    expect(seen).toEqual([{ kind: 'import', run_id: expect.stringMatching(/^seed-[0-9a-f-]{36}$/) }]);
  });

  it('is named seed-demo in a refusal and by cancel, which say to wait for it', async () => {
    const db = join(tempDir('seed-lock-'), 'demo.db');
    openStore(db).close();
    const pid = await runningProcess(children);
    const at = formatTimestamp(Date.parse(NOW));
    const opened = openStore(db, { mustExist: true });
    try {
      expect(opened.store.acquireLock({ kind: 'seed', runId: 'seed-1', holder: 'cli', host: hostname(), pid, acquiredAt: at, heartbeatAt: at }, () => false, at).acquired).toBe(true);
      expect(opened.store.readLock()).toMatchObject({ kind: 'seed', runId: 'seed-1' });
    } finally {
      opened.close();
    }
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare(`SELECT kind, run_id FROM run_lock`).get()).toEqual({ kind: 'import', run_id: 'seed-1' });
    raw.close();

    const refused = await runCli(['purge', '--db', db, '--yes', '--no-backup'], { BATCHDESK_NOW: NOW });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`the database is locked by another seed-demo (cli pid ${pid} on ${hostname()}, since ${at}`);
    expect(refused.stderr).toMatch(/; wait for it to finish \(it cannot be cancelled\)$/);

    const cancel = await runCli(['cancel', '--db', db], { BATCHDESK_NOW: NOW });
    expect(cancel.stdout + cancel.stderr).toContain(`the seed-demo holding the lock (cli pid ${pid} on ${hostname()}, since ${at}) cannot be cancelled; it releases the lock when it finishes`);
    expect(cancel.stdout + cancel.stderr).not.toContain('Ctrl-C');
  });

  it('an import lock stays an import', () => {
    const db = join(tempDir('seed-lock-'), 'demo.db');
    const opened = openStore(db);
    try {
      const at = formatTimestamp(Date.parse(NOW));
      opened.store.acquireLock({ kind: 'import', runId: 'import-1', holder: 'cli', host: hostname(), pid: process.pid, acquiredAt: at, heartbeatAt: at }, () => false, at);
      expect(opened.store.readLock()).toMatchObject({ kind: 'import', runId: 'import-1' });
    } finally {
      opened.close();
    }
  });
});
