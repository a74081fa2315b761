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
import { beforeAll, describe, expect, it } from 'vitest';
import { killChild, reapChildrenAfterEach, signalWhen } from '../support/child-processes';
import { runCli, startCliProcess, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW, withBallast } from '../support/safeguards';

const CHILD_ENV = { ...ENV, BATCHDESK_NO_BUNDLE: '1' };
/** The automatic name of a manual backup of portfolios.sqlite at SAFE_NOW (the pinned clock). */
const FIRST_NAME = 'portfolios.sqlite.20250710T230000Z.manual.sqlite';

let template = '';
beforeAll(() => {
  // Ballast, so the child's copy takes long enough to catch it at work.
  template = withBallast(seedDemoDb(SAFE_NOW), 96);
}, 120_000);

const children = reapChildrenAfterEach();

/** Starts `batchdesk backup ARGS` and kills it (SIGKILL) as soon as its partial copy appears in `dir`; the files it left. */
async function killBackupMidCopy(args: readonly string[], dir: string): Promise<string[]> {
  const c = children.track(startCliProcess(['backup', ...args], CHILD_ENV));
  await signalWhen(c, 'SIGKILL', () => existsSync(join(dir, `${FIRST_NAME}.partial`)));
  await killChild(c);
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
