/**
 * The partial copies stopped backups leave (SPEC.md j.1: `<destination>.partial`), on real files
 * in a backup folder: listBackups lists each one of this database as an incomplete backup (its
 * files, size, age, not restorable, what removes it), and the next backup into the folder removes
 * those nothing writes any more, before it copies, and says so (its result, its maintenance_log
 * row, the message of a backup that fails after it). A copy whose writer process runs is kept; so
 * is one whose writer cannot be checked (no writer record, another machine) until it has been
 * unchanged for a day; other databases' copies and other files are never touched.
 */
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import type { Clock } from '../../../core/ports/clock';
import { PARTIAL_WRITER_SCHEMA } from '../../../db/maintenance/backup-manifest';
import { openStore } from '../../../host/engine-host';
import { makeBackup } from '../../../host/maintenance/backup';
import { exitedPid, reapChildrenAfterEach, runningProcess } from '../../support/child-processes';
import { seedDemoDb } from '../../support/demo-db';
import { tempDir } from '../../support/temp-dirs';
import { backupListOf, copyTo, execOn, SAFE_NOW } from '../../support/safeguards';

const DAY = 86_400_000;
const clock: Clock = { now: () => Date.parse(SAFE_NOW) };

let seeded = '';
let deadPid = 0;
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
  // A killed backup's writer.
  deadPid = exitedPid();
}, 120_000);

// A live writer: a process that runs until the test ends, as a backup still writing its copy.
const children = reapChildrenAfterEach();

/** Writes a partial copy as a backup leaves it: the copy, optionally its journal and writer record, all last changed `agoMs` ago. */
function leftover(dir: string, name: string, o: { writer?: { source: string; host: string; pid: number }; journal?: boolean; copy?: boolean; agoMs?: number } = {}): string {
  const partial = join(dir, name);
  const files: string[] = [];
  if (o.copy !== false) files.push(partial);
  if (o.journal) files.push(`${partial}-journal`);
  for (const f of files) writeFileSync(f, Buffer.alloc(1000, 1));
  if (o.writer) {
    writeFileSync(`${partial}.writer.json`, JSON.stringify({ schema: PARTIAL_WRITER_SCHEMA, ...o.writer }));
    files.push(`${partial}.writer.json`);
  }
  const at = new Date(Date.now() - (o.agoMs ?? 0));
  for (const f of files) utimesSync(f, at, at);
  return partial;
}

const mine = (pid: number) => ({ source: 'portfolios.sqlite', host: hostname(), pid });

async function backup(db: string, req: Partial<Parameters<typeof makeBackup>[1]> = {}) {
  const opened = openStore(db, { mustExist: true });
  try {
    return await makeBackup(opened, { reason: 'manual', holdsLock: false, ...req }, clock);
  } finally {
    opened.close();
  }
}

const lastBackupDetails = (db: string): Record<string, unknown> =>
  JSON.parse(execOn(db, (d) => (d.prepare(`SELECT details FROM maintenance_log WHERE operation = 'backup' ORDER BY id DESC LIMIT 1`).get() as { details: string }).details));

describe('incomplete backups (partial copies stopped backups left)', () => {
  it('are listed with their files, size, age and what removes them; the next backup removes those nothing writes any more and keeps the rest', async () => {
    const db = copyTo(seeded);
    const dir = join(dirname(db), 'backups');
    mkdirSync(dir);
    const livePid = await runningProcess(children);
    const killed = leftover(dir, 'portfolios.sqlite.20250701T000000Z.pre-purge.sqlite.partial', { writer: mine(deadPid), journal: true, agoMs: 60_000 });
    const writing = leftover(dir, 'portfolios.sqlite.20250702T000000Z.manual.sqlite.partial', { writer: mine(livePid), agoMs: 3 * DAY });
    const oldUnknown = leftover(dir, 'portfolios.sqlite.20250703T000000Z.manual.sqlite.partial', { agoMs: 2 * DAY });
    const freshUnknown = leftover(dir, 'portfolios.sqlite.20250704T000000Z.manual.sqlite.partial', { agoMs: 3_600_000 });
    const otherMachine = leftover(dir, 'portfolios.sqlite.20250705T000000Z.manual.sqlite.partial', { writer: { ...mine(deadPid), host: `not-${hostname()}` }, agoMs: 7_200_000 });
    // An --out file in the backup folder: named by the user, its writer record says whose it is.
    const namedByHand = leftover(dir, 'before-upgrade.sqlite.partial', { writer: mine(deadPid), agoMs: 10_000 });
    // Killed after writing its record, before the copy began.
    const recordOnly = leftover(dir, 'portfolios.sqlite.20250706T000000Z.manual.sqlite.partial', { writer: mine(deadPid), copy: false, agoMs: 5_000 });
    // Not this database's, not a backup copy: never listed, never removed.
    const others = [
      leftover(dir, 'other.sqlite.20250701T000000Z.manual.sqlite.partial', { agoMs: 5 * DAY }),
      leftover(dir, 'portfolios.db.20250701T000000Z.manual.sqlite.partial', { agoMs: 5 * DAY }),
      leftover(dir, 'theirs.sqlite.partial', { writer: { ...mine(deadPid), source: 'other.sqlite' }, agoMs: 5 * DAY }),
      leftover(dir, 'portfolios.sqlite.20250701T000000Z.manual.sqlite.verification.json.partial', { agoMs: 5 * DAY }),
    ];

    const before = backupListOf(db);
    expect(before.backups).toEqual([]);
    const byFile = new Map(before.incomplete.map((p) => [p.file, p]));
    expect([...byFile.keys()].sort()).toEqual([killed, writing, oldUnknown, freshUnknown, otherMachine, namedByHand, recordOnly].sort());
    // Newest first.
    expect(before.incomplete.map((p) => p.file)).toEqual([recordOnly, namedByHand, killed, freshUnknown, otherMachine, oldUnknown, writing]);
    expect(byFile.get(killed)).toEqual({
      file: killed,
      files: [killed, `${killed}-journal`, `${killed}.writer.json`],
      bytes: [killed, `${killed}-journal`].reduce((n, f) => n + statSync(f).size, 0),
      lastWrittenAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
      ageMs: expect.any(Number),
      writer: { host: hostname(), pid: deadPid },
      state: 'abandoned',
      removableFrom: null,
      restorable: false,
      removal: `its backup (process ${deadPid} on this machine) stopped: the next backup of this database in this folder removes it`,
    });
    expect(byFile.get(killed)!.ageMs).toBeGreaterThanOrEqual(60_000);
    expect(byFile.get(writing)).toMatchObject({ state: 'writing', removal: `process ${livePid} on this machine is still writing it: its backup removes it when it finishes or fails` });
    expect(byFile.get(writing)!.ageMs).toBeGreaterThanOrEqual(3 * DAY);
    expect(byFile.get(oldUnknown)).toMatchObject({
      state: 'abandoned',
      writer: null,
      bytes: 1000,
      removal: 'no record of its writer (an older batchdesk wrote it), unchanged for over a day: the next backup of this database in this folder removes it',
    });
    const fresh = byFile.get(freshUnknown)!;
    expect(fresh).toMatchObject({ state: 'unconfirmed', writer: null });
    expect(Date.parse(fresh.removableFrom!) - Date.parse(fresh.lastWrittenAt)).toBe(DAY);
    expect(fresh.removal).toBe(
      `no record of its writer (an older batchdesk wrote it): the first backup of this database in this folder from ${fresh.removableFrom!.slice(0, 19).replace('T', ' ')} UTC on removes it, unless it changes again`,
    );
    expect(byFile.get(otherMachine)).toMatchObject({ state: 'unconfirmed', removal: expect.stringMatching(new RegExp(`^written on another machine \\(not-${hostname()}, process ${deadPid}\\): the first backup`)) });
    expect(byFile.get(recordOnly)).toMatchObject({ state: 'abandoned', files: [`${recordOnly}.writer.json`] });

    const r = await backup(db);
    const removed = [killed, oldUnknown, namedByHand, recordOnly];
    expect([...r.removedIncomplete].sort()).toEqual([...removed].sort());
    expect(r.warnings).toEqual([]);
    for (const p of removed) for (const f of byFile.get(p)!.files) expect(existsSync(f), f).toBe(false);
    for (const f of [writing, freshUnknown, otherMachine, ...others]) expect(existsSync(f), f).toBe(true);
    expect(existsSync(`${writing}.writer.json`)).toBe(true);
    expect(lastBackupDetails(db)['removed_incomplete']).toEqual(r.removedIncomplete);
    // The new backup left no partial copy or writer record of its own.
    expect(existsSync(`${r.file}.partial`) || existsSync(`${r.file}.partial.writer.json`)).toBe(false);

    const after = backupListOf(db);
    expect(after.backups.map((b) => b.file)).toEqual([r.file]);
    expect(after.incomplete.map((p) => [p.file, p.state])).toEqual([
      [freshUnknown, 'unconfirmed'],
      [otherMachine, 'unconfirmed'],
      [writing, 'writing'],
    ]);
  });

  it('a backup that fails after removing them says which it removed', async () => {
    const db = copyTo(seeded);
    const dir = join(dirname(db), 'backups');
    mkdirSync(dir);
    const killed = leftover(dir, 'portfolios.sqlite.20250701T000000Z.manual.sqlite.partial', { writer: mine(deadPid) });
    const stop = new AbortController();
    stop.abort(new Error('stopped by the test'));
    const err = await backup(db, { signal: stop.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchdeskError);
    expect((err as BatchdeskError).code).toBe('cancelled');
    expect((err as BatchdeskError).message).toMatch(/ cancelled; nothing was kept \(before the copy it removed 1 incomplete backup that stopped backups had left: /);
    expect((err as BatchdeskError).message).toContain(killed);
    expect(existsSync(killed)).toBe(false);
    expect(lastBackupDetails(db)).toMatchObject({ removed_incomplete: [killed], error: (err as BatchdeskError).message });
  });

  it('a backup to an --out file outside the backup folder prunes nothing there, as retention does not', async () => {
    const db = copyTo(seeded);
    const dir = join(dirname(db), 'backups');
    mkdirSync(dir);
    const killed = leftover(dir, 'portfolios.sqlite.20250701T000000Z.manual.sqlite.partial', { writer: mine(deadPid) });
    const r = await backup(db, { out: join(tempDir(), 'elsewhere.sqlite') });
    expect(r.removedIncomplete).toEqual([]);
    expect(existsSync(killed)).toBe(true);
  });
});
