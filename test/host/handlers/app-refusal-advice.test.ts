/**
 * The commands the app's refusals advise name the database the app has open (` --db PATH`,
 * quoted for a shell), as the CLI's do for a database the user chose: pasted into a shell they
 * act on this file, not on the CLI's default database. That holds for the lock refusals of Run
 * (plan and start), purge, restore and CSV import while another process holds the file, and
 * for the plan's and the start's closed-gate refusal, which leave out the CLI's --ignore-gate:
 * the app has no such option (its Start is off while the gate is closed).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { tempDir } from '../../support/cli';
import { seedDemoDb } from '../../support/demo-db';
import { copyTo, execOn, holdLockInChild, SAFE_NOW, type LockHolder } from '../../support/safeguards';

/** A database in a folder whose name a shell must have quoted. */
function demoCopy(): string {
  const dir = join(tempDir(), 'my data');
  mkdirSync(dir);
  const db = join(dir, 'portfolios.sqlite');
  execOn(copyTo(seedDemoDb(SAFE_NOW)), (d) => d.prepare('VACUUM INTO ?').run(db));
  return db;
}

const CANCEL = (db: string) => `stop it with \`batchdesk cancel --db '${db}'\``;

describe('lock refusals while another process holds the database', () => {
  let db = '';
  let ctx: HostContext;
  let backup = '';
  let holder: LockHolder;
  beforeAll(async () => {
    db = demoCopy();
    ctx = testHostContext(db, SAFE_NOW, { reader: false });
    backup = (await dispatchOk(ctx, 'createBackup', {})).file as string;
    holder = await holdLockInChild(db);
  }, 120_000);
  afterAll(async () => {
    await holder.stop();
  });

  it('purge, restore and CSV import advise `batchdesk cancel --db PATH`', async () => {
    for (const [name, input] of [
      ['purgeDerived', { from: '2025-07-09', to: '2025-07-10' }],
      ['restoreBackup', { file: backup }],
      ['importPrices', { text: 'symbol,date,close\nAAPL,2025-07-09,200\n', fileName: 'fill.csv' }],
    ] as const) {
      const r = await dispatch(name, input, ctx);
      expect(!r.ok && r.error.code, name).toBe('locked');
      expect(!r.ok && r.error.message, name).toContain(CANCEL(db));
    }
  });

  it('the plan and the start of a run advise it too', async () => {
    const plan = (await dispatchOk(ctx, 'planRun', { targetDate: '2025-07-10' })).plan as { warnings: string[] };
    expect(plan.warnings.find((w) => w.startsWith('a run now would be refused: the database is locked'))).toContain(CANCEL(db));
    const started = (await dispatchOk(ctx, 'startRun', { targetDate: '2025-07-10' })).status as { error: { code: string; message: string } };
    expect(started.error.code).toBe('locked');
    expect(started.error.message).toContain(CANCEL(db));
    expect(((await dispatchOk(ctx, 'getRunStatus', {})) as { error: { message: string } }).error.message).toContain(CANCEL(db));
  });
});

describe("the plan's and the start's closed-gate refusal", () => {
  it('names verify guard with --db and no --ignore-gate, which the engine leaves out for the app', async () => {
    const db = demoCopy();
    const gate = { state: 'closed', since: '2025-07-10T23:00:00.000000Z', run_id: null, findings: [{ portfolio_id: 'p', portfolio_name: 'Growth', date: '2025-07-09', check: 'G2', expected: '0 rows', actual: '1 rows', message: 'factor_exposures has rows' }], dates: ['2025-07-08', '2025-07-09'] };
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('gate', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(gate), '2025-07-10T23:00:00.000000Z'));
    const ctx = testHostContext(db, SAFE_NOW, { reader: false });
    const plan = (await dispatchOk(ctx, 'planRun', { targetDate: '2025-07-10' })).plan as { warnings: string[] };
    expect(plan.warnings.find((w) => w.includes('regression gate'))).toBe(
      `a run now would be refused: the regression gate is closed since 2025-07-10T23:00:00.000000Z (1 finding(s), the first on 2025-07-09: factor_exposures has rows); fix the data and run \`batchdesk verify guard --start-date 2025-07-08 --end-date 2025-07-09 --db '${db}'\`, which reopens it once it passes over the failed dates, reopen it with \`batchdesk verify guard --reopen --reason TEXT --db '${db}'\``,
    );
    // A start that meets the gate (the app's Start is off then; a race, or a call of the API) says the same.
    const started = (await dispatchOk(ctx, 'startRun', { targetDate: '2025-07-10' })).status as { error: { code: string; message: string } };
    expect(started.error.code).toBe('gate_closed');
    expect(started.error.message).toContain('reopen it with `batchdesk verify guard --reopen --reason TEXT');
    expect(started.error.message).not.toContain('--ignore-gate');
  });
});
