/**
 * The safeguard commands through the contract dispatcher (the path the app and `serve` use):
 * inputs and outputs validated by their zod schemas, failures as { code, message }.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../../core/api/contract';
import { dispatch } from '../../../host/dispatcher';
import { HANDLERS } from '../../../host/handlers';
import type { HostContext } from '../../../host/handler-types';
import { tempDir } from '../../support/cli';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { backfilledDemo, copyTo, SAFE_NOW } from '../../support/safeguards';

let db = '';
let ctx: HostContext;
beforeAll(async () => {
  db = copyTo(await backfilledDemo());
  ctx = testHostContext(db, SAFE_NOW, { reader: false });
}, 300_000);

const ok = (name: string, input: unknown) => dispatchOk(ctx, name, input);

describe('safeguard contract commands', () => {
  it('every contract command has a handler', () => {
    for (const n of COMMAND_NAMES) expect(typeof (HANDLERS as Record<string, unknown>)[n], n).toBe('function');
  });

  it('createBackup, listBackups', async () => {
    const b = await ok('createBackup', {});
    expect(existsSync(b.file)).toBe(true);
    expect(b).toMatchObject({ rowCountsVerified: true, midRun: false });
    const list = await ok('listBackups', {});
    expect(list.backups.map((x: { file: string }) => x.file)).toContain(b.file);
  });

  it('reconcile, diagnose, verify, gate, history', async () => {
    expect(await ok('reconcile', { startDate: '2025-06-30', endDate: '2025-07-10' })).toMatchObject({ flagged: 0, total: 40 });
    // A start without an end runs to the latest processed date (the CLI's reading too): 07-09 and 07-10.
    expect(await ok('reconcile', { startDate: '2025-07-09' })).toMatchObject({ range: { start: '2025-07-09', end: '2025-07-10' }, total: 10 });
    expect((await ok('diagnoseEquityCash', {})).lines).toHaveLength(5);
    expect((await ok('diagnosePrices', { date: '2025-07-10' })).counts.missing).toBe(0);
    expect(await ok('verifyDemo', {})).toMatchObject({ ready: true, label: 'READY' });
    expect(await ok('verifyGuard', { startDate: '2025-06-30', endDate: '2025-07-10' })).toMatchObject({ status: 'pass', checked: 40, gate: { state: 'open' } });
    expect((await ok('verifyCoverage', { startDate: '2025-06-30', endDate: '2025-07-10' })).gaps).toEqual([]);
    expect((await ok('verifyViews', {})).failed).toBe(false);
    expect((await ok('getHistory', { days: 30 })).dates).toHaveLength(8);
    expect(await ok('getRunningState', {})).toMatchObject({ lock: null, latestCompletedDate: '2025-07-10' });
    expect(await ok('getGate', {})).toMatchObject({ gate: { state: 'open' } });
  });

  it('purge dry run and baselines; compare against the database', async () => {
    const p = await ok('purgeDerived', { from: '2025-07-10', dryRun: true });
    expect(p.deleted.portfolio_snapshots).toBe(5);
    const file = join(tempDir(), 'b.json');
    expect(await ok('exportBaseline', { startDate: '2025-07-01', endDate: '2025-07-10', out: file })).toMatchObject({ file, dates: 7, outputs: 35 });
    expect(await ok('compareBaselines', { a: file, b: 'db' })).toMatchObject({ matched: true });
  });

  it('bad input is a usage error; a missing backup is a data error; nothing to cancel is reported', async () => {
    const bad = await dispatch('purgeDerived', { from: '2025-07-10', to: '2025-07-01' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'usage' } });
    const missing = await dispatch('restoreBackup', { file: join(tempDir(), 'none.sqlite') }, ctx);
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const reopen = await dispatch('reopenGate', { reason: '   ' }, ctx);
    expect(reopen).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(await ok('requestCancel', {})).toMatchObject({ requested: false });
  });
});
