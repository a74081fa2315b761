/**
 * A real `batchdesk backup` child killed (SIGKILL) while it writes its copy leaves a partial copy
 * (SPEC.md j.1). The next backup into the same folder removes it and says so, and only then
 * chooses its own name:
 *   - `backup --out FOLDER/` (no --keep): the folder is the user's own and retention never prunes
 *     it, but nothing else would ever remove what a backup stopped there left, so the next
 *     `backup --out FOLDER/` does, reported as the backup folder's are ("Removed: ...");
 *   - with the clock pinned (BATCHDESK_NOW), the next backup has the same second as the killed
 *     one: it takes the name the removed copy had, not `-2`, in an --out folder as in the backup
 *     folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { runCli, startCliProcess, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, execOn, SAFE_NOW } from '../support/safeguards';

const CHILD_ENV = { ...ENV, BATCHDESK_NO_BUNDLE: '1' };
/** The automatic name of a manual backup of portfolios.sqlite at SAFE_NOW (the pinned clock). */
const FIRST_NAME = 'portfolios.sqlite.20250710T230000Z.manual.sqlite';

let template = '';
beforeAll(() => {
  template = seedDemoDb(SAFE_NOW);
  // Ballast, so the child's copy takes long enough to catch it at work.
  execOn(template, (d) => {
    d.exec('CREATE TABLE ballast (b BLOB)');
    const add = d.prepare('INSERT INTO ballast VALUES (randomblob(1048576))');
    d.transaction(() => {
      for (let i = 0; i < 96; i++) add.run();
    })();
  });
}, 120_000);

let child: ChildProcess | null = null;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  child = null;
});

/** Starts `batchdesk backup ARGS` and kills it (SIGKILL) as soon as its partial copy appears in `dir`; the files it left. */
async function killBackupMidCopy(args: readonly string[], dir: string): Promise<string[]> {
  const c = startCliProcess(['backup', ...args], CHILD_ENV);
  child = c;
  let output = '';
  c.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  c.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise((r) => c.once('exit', r));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (existsSync(join(dir, `${FIRST_NAME}.partial`))) {
        c.kill('SIGKILL');
        clearInterval(poll);
        resolve();
      }
    }, 1);
    c.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`the backup ended (${code}) before its partial copy was seen: ${output}`));
    });
  });
  await exited;
  return readdirSync(dir).sort();
}

describe('a backup killed mid-copy, then the next backup into the same folder', () => {
  it('--out FOLDER/ without --keep: removes the partial copy, reports it, and takes its name', async () => {
    const db = copyTo(template);
    const folder = join(tempDir(), 'chosen');
    const out = `${folder}${sep}`;
    const partial = join(folder, `${FIRST_NAME}.partial`);
    const left = await killBackupMidCopy(['--db', db, '--out', out], folder);
    expect(left).toContain(`${FIRST_NAME}.partial`);
    expect(left).toContain(`${FIRST_NAME}.partial.writer.json`);

    const next = await runCli(['backup', '--db', db, '--out', out], ENV);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain(`Removed:    1 incomplete backup(s) that stopped backups had left (partial copies nothing writes any more)\n  ${partial}`);
    expect(next.stdout).toContain(`Backup:     ${join(folder, FIRST_NAME)}\n`);
    expect(readdirSync(folder).sort()).toEqual([FIRST_NAME, `${FIRST_NAME}.json`]);
    // The backup folder was never used.
    expect(existsSync(join(dirname(db), 'backups'))).toBe(false);
  }, 120_000);

  it('the backup folder: the next backup (--json) lists the removed copy and takes its name', async () => {
    const db = copyTo(template);
    const dir = join(dirname(db), 'backups');
    const partial = join(dir, `${FIRST_NAME}.partial`);
    await killBackupMidCopy(['--db', db], dir);

    const next = await runCli(['backup', '--db', db, '--json'], ENV);
    expect(next.code, next.stderr).toBe(0);
    const r = JSON.parse(next.stdout) as { file: string; removedIncomplete: string[] };
    expect(r.removedIncomplete).toEqual([partial]);
    expect(r.file).toBe(join(dir, FIRST_NAME));
    expect(readdirSync(dir).sort()).toEqual([FIRST_NAME, `${FIRST_NAME}.json`]);
  }, 120_000);
});
