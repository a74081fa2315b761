/**
 * m.16: a live holder of the lock refuses `run` (exit 3) before anything else, also on a
 * database with nothing left to do: "Already up to date" with exit 0 told the user all was
 * well while another process was writing to the file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { liveProcess, writeLiveLock } from '../reliability/bad-input-harness';
import { runCli } from '../support/cli';
import { backfilledDemo, copyTo, ENV, SAFE_NOW } from '../support/safeguards';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill();
});

describe('run on an up-to-date database a live run holds', () => {
  it('is refused as locked (exit 3), not answered "up to date"', async () => {
    const db = copyTo(await backfilledDemo());
    const free = await runCli(['run', '--db', db], ENV);
    expect(free.stderr).toContain('Already up to date');
    expect(free.code).toBe(0);
    const holder = liveProcess();
    children.push(holder);
    writeLiveLock(db, holder.pid!, SAFE_NOW);
    const r = await runCli(['run', '--db', db], ENV);
    expect(r.stderr).toContain(`error: the database is locked by another run (cli pid ${holder.pid} on `);
    expect(r.stderr).not.toContain('up to date');
    expect(r.code).toBe(3);
  }, 240_000);
});
