/**
 * Commands the CLI advises in its messages carry the database the user chose (SPEC.md k.1,
 * --db or BATCHDESK_DB), quoted for a POSIX shell, so that pasting one acts on the same file
 * and not on the default database: the lock refusal's `batchdesk cancel` (for a run, its dry
 * run, and a maintenance operation), the closed gate's `verify guard` commands, `verify demo`'s
 * recommendations, `backup list`'s restore, a missing database's `seed-demo`, a stale lock's
 * `run --resume`, a resume or seed refusal's `history` and `seed-demo --reset`. Nothing is added
 * for the default database (advisedDbFlag). The rebuild's later-dates advice is checked in
 * safeguards-procedure.test.ts, verify rowcounts' in verify-nothing-to-compare.test.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../core/api/errors';
import { shellWord } from '../../core/api/shell-word';
import { lockedError, withLockAdvice } from '../../core/engine/locked-error';
import { runCli } from '../support/cli';
import { tableContents } from '../support/db-content';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';
import { liveProcess, sqlOn, writeLiveLock } from '../reliability/bad-input-harness';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

let holder: ChildProcess | null = null;
afterEach(() => {
  holder?.kill();
  holder = null;
});

/** A copy of the seeded demo under a name the shell would split, and its quoted --db flag. */
function demoCopy(): { db: string; flag: string } {
  const db = copyTo(seeded, 'my demo.sqlite');
  expect(shellWord(db)).toBe(`'${db}'`);
  return { db, flag: ` --db '${db}'` };
}

describe('the lock refusal', () => {
  it('advises `batchdesk cancel` on the chosen database, for a run, its dry run and a maintenance operation', async () => {
    const { db, flag } = demoCopy();
    holder = liveProcess();
    writeLiveLock(db, holder.pid!, SAFE_NOW);
    const before = tableContents(db);
    const advice = `wait for it to finish or stop it with \`batchdesk cancel${flag}\``;
    const run = await runCli(['run', '--db', db], ENV);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: the database is locked by another run /);
    expect(run.stderr.endsWith(advice)).toBe(true);
    const dry = await runCli(['run', '--db', db, '--dry-run'], ENV);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(advice);
    const purge = await runCli(['purge', '--db', db, '--from', '2025-07-07', '--yes'], ENV);
    expect(purge.code).toBe(3);
    expect(purge.stderr.endsWith(advice)).toBe(true);
    expect(tableContents(db)).toEqual(before);
  });

  it('names no database when the default one is used, and leaves other errors alone', () => {
    const held = { kind: 'run', runId: 'r1', batchRunId: 'batch_1', holder: 'cli', host: 'desk-7', pid: 4242, acquiredAt: 'a', heartbeatAt: 'h', cancelRequested: false } as const;
    expect((withLockAdvice(lockedError(held), '') as BatchdeskError).message).toMatch(/stop it with `batchdesk cancel`$/);
    expect((withLockAdvice(lockedError(held), " --db 'a b'") as BatchdeskError).message).toMatch(/stop it with `batchdesk cancel --db 'a b'`$/);
    const other = new BatchdeskError('usage', 'x');
    expect(withLockAdvice(other, " --db 'a b'")).toBe(other);
  });
});

describe('the closed gate', () => {
  it('advises `verify guard` and its --reopen on the chosen database', async () => {
    const { db, flag } = demoCopy();
    sqlOn(db, `INSERT INTO settings (key, value, updated_at) VALUES ('gate', json('{"state":"closed","since":"2025-07-09T22:00:00.000Z","findings":[]}'), '2025-07-09T22:00:00.000Z')`);
    const r = await runCli(['run', '--db', db], ENV);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`fix the data and run \`batchdesk verify guard${flag}\`, reopen it with \`batchdesk verify guard --reopen --reason TEXT${flag}\`, or start with --ignore-gate`);
  });
});

describe('run refusals that advise a command', () => {
  it('a resume of an unknown run points at `history` of the chosen database', async () => {
    const { db, flag } = demoCopy();
    const r = await runCli(['run', '--db', db, '--resume', 'no-such-run'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: run no-such-run not found; see \`batchdesk history${flag}\``);
  });

  it("another seed than the database's synthetic prices points at `seed-demo --reset` of the chosen database", async () => {
    const { db, flag } = demoCopy();
    const r = await runCli(['run', '--db', db, '--seed', '7'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`start the demo over with \`batchdesk seed-demo --reset --seed 7${flag}\``);
  });
});

describe('verify demo', () => {
  it('recommends `run` and `diagnose prices` on the chosen database (by --db or BATCHDESK_DB)', async () => {
    const { db, flag } = demoCopy();
    const expected = [`  recommendation: run a backfill: batchdesk run${flag}`, `  recommendation: open the missing-price view: batchdesk diagnose prices${flag}`];
    const byFlag = await runCli(['verify', 'demo', '--db', db], ENV);
    // Seeded, not yet run: the score is mostly ready, and a backfill and the missing prices are still advised.
    expect(byFlag.code, byFlag.stdout).toBe(0);
    for (const line of expected) expect(byFlag.stdout.split('\n')).toContain(line);
    const byEnv = await runCli(['verify', 'demo'], { ...ENV, BATCHDESK_DB: db });
    for (const line of expected) expect(byEnv.stdout.split('\n')).toContain(line);
  });
});

describe('backup list', () => {
  it('advises `restore` on the chosen database', async () => {
    const { db, flag } = demoCopy();
    expect((await runCli(['backup', '--db', db], ENV)).code).toBe(0);
    const r = await runCli(['backup', 'list', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Restore one with \`batchdesk restore <folder>/<file>${flag}\`.`);
  });
});

describe('a missing database', () => {
  it('advises `seed-demo` with the path quoted', async () => {
    const { db } = demoCopy();
    const missing = join(dirname(db), 'mistyped db.sqlite');
    const r = await runCli(['backup', '--db', missing], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(`error: database ${missing} does not exist. Create it with \`batchdesk seed-demo --db '${missing}'\` or import a dump.`);
  });
});

describe('cancel of a lock whose holder is gone', () => {
  it('advises `run --resume` on the chosen database', async () => {
    const { db, flag } = demoCopy();
    // A heartbeat long past the stale timeout: the holder is gone (m.17).
    writeLiveLock(db, 999_999, '2025-07-01T22:00:00Z');
    const r = await runCli(['cancel', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`its lock was released and its run marked interrupted (\`batchdesk run --resume${flag}\` continues it)`);
  });
});
