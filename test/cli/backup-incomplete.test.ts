/**
 * A real `batchdesk backup` child stopped while it writes its copy (SPEC.md j.1): its partial
 * copy is listed by `backup list` (text and --json) as an incomplete backup that cannot be
 * restored, with what removes it. While the child lives (here frozen with SIGSTOP) a backup in
 * the same folder keeps it; once the child is killed (SIGKILL, nothing of it can clean up), the
 * next backup removes the copy with its journal and writer record and says so in its output. A
 * partial copy of another database in the same folder is left alone throughout.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { killChild, reapChildrenAfterEach, signalWhen } from '../support/child-processes';
import { runCli, startCliProcess } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, isAscii, SAFE_NOW, withBallast } from '../support/safeguards';

const CHILD_ENV = { ...ENV, BATCHDESK_NO_BUNDLE: '1' };

let template = '';
beforeAll(() => {
  // Ballast, so the child's copy and its checks take long enough to catch it at work.
  template = withBallast(seedDemoDb(SAFE_NOW), 96);
}, 120_000);

const children = reapChildrenAfterEach();

const partialsIn = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.partial'));

/** Starts `batchdesk backup` and freezes it (SIGSTOP) as soon as its partial copy appears; the child and the copy's path. */
async function freezeBackupMidCopy(db: string, dir: string): Promise<{ child: ChildProcess; partial: string }> {
  const child = children.track(startCliProcess(['backup', '--db', db], CHILD_ENV));
  const name = await signalWhen(child, 'SIGSTOP', () => partialsIn(dir).find((n) => n.startsWith('portfolios.sqlite.')));
  return { child, partial: join(dir, name) };
}

const listJson = async (db: string) => {
  const r = await runCli(['backup', 'list', '--db', db, '--json'], ENV);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { incomplete: { file: string; state: string; writer: { pid: number } | null; restorable: boolean; removal: string; files: string[] }[] };
};

describe('the partial copy of a backup stopped mid-copy', () => {
  it('is listed, kept while its process lives, and removed (and reported) by the next backup once it is killed; another database\'s is left alone', async () => {
    const db = copyTo(template);
    const dir = join(dirname(db), 'backups');
    // First backup: creates the folder, and leaves a backup the list shows above the leftovers.
    expect((await runCli(['backup', '--db', db], ENV)).code).toBe(0);
    const others = join(dir, 'other.sqlite.20250701T000000Z.manual.sqlite.partial');
    writeFileSync(others, 'x');
    const longAgo = new Date(Date.now() - 5 * 86_400_000);
    utimesSync(others, longAgo, longAgo);

    const { child, partial } = await freezeBackupMidCopy(db, dir);
    const pid = child.pid!;

    // Live (frozen) writer: listed as being written, not restorable; a backup keeps it.
    const live = await listJson(db);
    expect(live.incomplete).toEqual([expect.objectContaining({ file: partial, state: 'writing', writer: expect.objectContaining({ pid }), restorable: false })]);
    const text = await runCli(['backup', 'list', '--db', db], ENV);
    expect(text.code, text.stderr).toBe(0);
    expect(isAscii(text.stdout)).toBe(true);
    expect(text.stdout).toContain('Incomplete backups: partial copies of backups stopped while writing them (killed, crashed, the machine went down). They cannot be restored.');
    const line = text.stdout.split('\n').find((l) => l.startsWith(`${basename(partial)} `));
    expect(line).toMatch(new RegExp(` \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} +\\d+ s +\\d+ +process ${pid} on this machine is still writing it: its backup removes it when it finishes or fails$`));
    expect(text.stdout).toMatch(/\n1 incomplete backup\(s\), \d+ bytes\. A backup of this database into this folder removes those nothing writes any more; delete one by hand only when no backup is writing it\./);
    const whileLive = await runCli(['backup', '--db', db], ENV);
    expect(whileLive.code, whileLive.stderr).toBe(0);
    expect(whileLive.stdout).not.toContain('Removed:');
    expect(partialsIn(dir)).toContain(basename(partial));

    // Killed: nothing of it could clean up. The list says the next backup removes it.
    await killChild(child);
    const dead = (await listJson(db)).incomplete;
    expect(dead).toEqual([expect.objectContaining({ file: partial, state: 'abandoned', removal: `its backup (process ${pid} on this machine) stopped: the next backup of this database in this folder removes it` })]);
    const leftFiles = dead[0]!.files;
    expect(leftFiles).toContain(partial);
    expect(leftFiles).toContain(`${partial}.writer.json`);

    const next = await runCli(['backup', '--db', db], ENV);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain(`Removed:    1 incomplete backup(s) that stopped backups had left (partial copies nothing writes any more)\n  ${partial}`);
    const remaining = readdirSync(dir);
    for (const f of leftFiles) expect(remaining).not.toContain(basename(f));
    expect(remaining).toContain(basename(others));
    expect((await listJson(db)).incomplete).toEqual([]);
  }, 120_000);
});
