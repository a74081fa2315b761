/**
 * The writer record of a partial backup copy says when its writer started (the machine's boot id
 * and the process's start in clock ticks, Linux's /proc), so a pid that now runs another program
 * does not keep a dead copy "being written" for ever. Real files and a real running process whose
 * pid the records name:
 *   - a record from before a restart (another boot id) naming that pid: abandoned, listed as
 *     stopped when the machine restarted, and removed by the next backup;
 *   - a record of this boot with another start: the pid came round again, same;
 *   - a record with that process's own start, or an old record without a start: kept while the pid
 *     runs, as before;
 * and a real backup records its own start as the judge reads it for its pid.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../core/ports/clock';
import { machineBoot, PARTIAL_WRITER_SCHEMA, processStartTicks, thisProcessWriter } from '../../../db/maintenance/backup-manifest';
import { openStore } from '../../../host/engine-host';
import { makeBackup } from '../../../host/maintenance/backup';
import { reapChildrenAfterEach, runningProcess } from '../../support/child-processes';
import { seedDemoDb } from '../../support/demo-db';
import { backupListOf, copyTo, SAFE_NOW } from '../../support/safeguards';

const clock: Clock = { now: () => Date.parse(SAFE_NOW) };

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

// The program a reused pid now belongs to: a process that runs until the test ends.
const children = reapChildrenAfterEach();

/** A partial copy with its writer record, as a backup of portfolios.sqlite on this machine leaves it. */
function leftover(dir: string, name: string, pid: number, start?: { boot_id: string | null; booted_at_ms: number; ticks: number | null }): string {
  const partial = join(dir, name);
  writeFileSync(partial, Buffer.alloc(1000, 1));
  writeFileSync(`${partial}.writer.json`, JSON.stringify({ schema: PARTIAL_WRITER_SCHEMA, source: 'portfolios.sqlite', host: hostname(), pid, ...(start ? { start } : {}) }));
  return partial;
}

describe.runIf(process.platform === 'linux')('a partial copy whose writer pid runs another program now', () => {
  it('is abandoned when the record is of another boot or another start, kept when it is the writer or the record is old', async () => {
    const db = copyTo(seeded);
    const dir = join(dirname(db), 'backups');
    mkdirSync(dir);
    const pid = await runningProcess(children);
    const boot = machineBoot();
    const ticks = processStartTicks(pid);
    expect(boot.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ticks).toEqual(expect.any(Number));
    const previousBoot = leftover(dir, 'portfolios.sqlite.20250701T000000Z.manual.sqlite.partial', pid, { boot_id: 'a0000000-0000-4000-8000-000000000000', booted_at_ms: boot.bootedAtMs - 86_400_000, ticks });
    const earlierStart = leftover(dir, 'portfolios.sqlite.20250702T000000Z.manual.sqlite.partial', pid, { boot_id: boot.bootId, booted_at_ms: boot.bootedAtMs, ticks: ticks! - 1 });
    const itsOwn = leftover(dir, 'portfolios.sqlite.20250703T000000Z.manual.sqlite.partial', pid, { boot_id: boot.bootId, booted_at_ms: boot.bootedAtMs, ticks });
    const oldRecord = leftover(dir, 'portfolios.sqlite.20250704T000000Z.manual.sqlite.partial', pid);

    const byFile = new Map(backupListOf(db).incomplete.map((p) => [p.file, p]));
    expect(byFile.get(previousBoot)).toMatchObject({
      state: 'abandoned',
      writer: { host: hostname(), pid },
      removal: `its backup (process ${pid} on this machine) stopped when the machine restarted (process ${pid} is another program now): the next backup of this database in this folder removes it`,
    });
    expect(byFile.get(earlierStart)).toMatchObject({
      state: 'abandoned',
      removal: `its backup (process ${pid} on this machine) stopped (process ${pid} is another program now, started after it): the next backup of this database in this folder removes it`,
    });
    for (const kept of [itsOwn, oldRecord]) {
      expect(byFile.get(kept)).toMatchObject({ state: 'writing', removal: `process ${pid} on this machine is still writing it: its backup removes it when it finishes or fails` });
    }

    const opened = openStore(db, { mustExist: true });
    const r = await makeBackup(opened, { reason: 'manual', holdsLock: false }, clock).finally(() => opened.close());
    expect([...r.removedIncomplete].sort()).toEqual([previousBoot, earlierStart]);
    for (const gone of [previousBoot, earlierStart]) expect(existsSync(gone) || existsSync(`${gone}.writer.json`), gone).toBe(false);
    for (const kept of [itsOwn, oldRecord]) expect(existsSync(kept) && existsSync(`${kept}.writer.json`), kept).toBe(true);
  });

  it("a backup's record names its own start as the judge reads it for its pid", () => {
    const record = thisProcessWriter('portfolios.sqlite');
    expect(record).toEqual({
      schema: PARTIAL_WRITER_SCHEMA,
      source: 'portfolios.sqlite',
      host: hostname(),
      pid: process.pid,
      start: { boot_id: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), booted_at_ms: expect.any(Number), ticks: processStartTicks(process.pid) },
    });
    expect(record.start!.ticks).toEqual(expect.any(Number));
  });
});
