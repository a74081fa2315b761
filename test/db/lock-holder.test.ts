/**
 * The lock row names its holder as `history` does (SPEC.md g.9, m.16): a run by the batch run
 * id of its history row, so the refusal, `cancel` and `history` show one id for one run.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockedError } from '../../core/engine/locked-error';
import { openStore, type OpenedDatabase } from '../../host/engine-host';
import { tempDir } from '../support/temp-dirs';

const NOW = '2026-11-27T23:00:00.000000Z';
let opened: OpenedDatabase | null = null;
afterEach(() => opened?.close());

const lock = (kind: 'run' | 'purge' | 'import', runId: string, holder: 'cli' | 'app' = 'cli') => ({ kind, runId, holder, host: 'desk-7', pid: 4242, acquiredAt: NOW, heartbeatAt: NOW });

describe('the lock holder', () => {
  it('a run with a history row is named by its batch run id; one without, by its lock id; a maintenance operation, by its kind', () => {
    opened = openStore(join(tempDir(), 'lock.db'));
    const { store } = opened;
    store.startRun({ id: '8a0373b6-9c52-4a7b-b7d8-1111ed9ef77b', batchRunId: 'batch_20261127_230000_f920', triggeredBy: 'cli', startedAt: NOW, mode: 'normal', options: {}, totalJobs: 3, portfolioId: null, host: 'desk-7', pid: 4242, appVersion: '0.1.0' });
    expect(store.acquireLock(lock('run', '8a0373b6-9c52-4a7b-b7d8-1111ed9ef77b'), () => false, NOW).acquired).toBe(true);
    const held = store.readLock()!;
    expect(held).toMatchObject({ runId: '8a0373b6-9c52-4a7b-b7d8-1111ed9ef77b', batchRunId: 'batch_20261127_230000_f920' });
    const refused = store.acquireLock(lock('run', 'another'), () => false, NOW);
    expect(refused).toMatchObject({ acquired: false, holder: { batchRunId: 'batch_20261127_230000_f920' } });
    const error = lockedError(held);
    expect(error.code).toBe('locked');
    expect(error.message).toBe(
      'the database is locked by another run (cli pid 4242 on desk-7, run batch_20261127_230000_f920, since 2026-11-27T23:00:00.000000Z, last heartbeat 2026-11-27T23:00:00.000000Z); wait for it to finish or stop it with `batchdesk cancel`',
    );
    store.releaseLock('8a0373b6-9c52-4a7b-b7d8-1111ed9ef77b');

    // A run whose history row is not written yet (the lock comes first).
    store.acquireLock(lock('run', 'c0ffee00-0000-4000-8000-000000000000'), () => false, NOW);
    expect(store.readLock()!.batchRunId).toBeNull();
    expect(lockedError(store.readLock()!).message).toContain('(cli pid 4242 on desk-7, run c0ffee00-0000-4000-8000-000000000000, since');
    store.releaseLock('c0ffee00-0000-4000-8000-000000000000');

    store.acquireLock(lock('purge', 'purge-1'), () => false, NOW);
    expect(lockedError(store.readLock()!).message).toContain('locked by another purge (cli pid 4242 on desk-7, since 2026-11-27T23:00:00.000000Z,');
    // `batchdesk cancel` does not stop a purge (g.10 cancels runs), but Ctrl-C in the CLI's terminal does.
    expect(lockedError(store.readLock()!).message).toMatch(/; wait for it to finish, or stop it with Ctrl-C in the terminal running it \(pid 4242\); it cannot be cancelled from elsewhere$/);
    store.releaseLock('purge-1');

    // The app's import watches no Ctrl-C: the refusal says to wait.
    store.acquireLock(lock('import', 'import-1', 'app'), () => false, NOW);
    expect(lockedError(store.readLock()!).message).toMatch(/locked by another import \(app pid 4242 .*; wait for it to finish \(it cannot be cancelled\)$/);
  });
});
