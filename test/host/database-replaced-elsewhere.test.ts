/**
 * A restore or a replacing import made by another process (`batchdesk restore` or
 * `batchdesk import --replace` from a terminal) on the database a long-lived host (`serve`, the
 * app) has open: the host notices it before the next command it answers, forgets the runs it
 * kept for the live view and publishes `database_replaced` (cause `other_process`) once per
 * replacement. A run committing is no replacement, and the host's own restore is published once,
 * as a restore. Real files, the real CLI commands, the host's commands through the dispatcher.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_REPLACED_METRIC, type TelemetryEvent } from '../../core/api/telemetry-events';
import { ReadConnection } from '../../host/read-connection';
import { SHORT_NOW } from '../support/app/demo-fixture';
import { dispatchOk, testHostContext } from '../support/app/host-context';
import { runCli, tempDir } from '../support/cli';
import { copyDb, seedDemoDb } from '../support/demo-db';
import { COMMITTED } from '../support/pg-fixtures';

const ENV = { BATCHDESK_NOW: SHORT_NOW };

type Host = ReturnType<typeof testHostContext>;

/** A host on `db` whose every published event is kept in `seen`. */
function hostOn(db: string): { ctx: Host; seen: TelemetryEvent[] } {
  const ctx = testHostContext(db, SHORT_NOW);
  const seen: TelemetryEvent[] = [];
  ctx.bus.subscribe((e) => seen.push(e));
  return { ctx, seen };
}

/** The causes of the `database_replaced` events published so far. */
const replacements = (seen: TelemetryEvent[]) => seen.flatMap((e) => (e.event === 'metric' && e.payload.name === DATABASE_REPLACED_METRIC ? [e.payload.tags['cause']] : []));

const recent = async (ctx: Host) => (await dispatchOk(ctx, 'recentEvents', { limit: 5000 })) as { events: TelemetryEvent[]; runStart: TelemetryEvent | null };
const trackedDates = async (ctx: Host) => ((await dispatchOk(ctx, 'getTracking', { includeIncomplete: true, limit: 20_000 })) as { dates: { date: string }[] }).dates.map((d) => d.date);

/** What an open page asks every few seconds (renderer/state/live-store.ts). */
const poll = (ctx: Host) => dispatchOk(ctx, 'getOtherProcessRun', {});

async function runInHost(ctx: Host, startDate: string, endDate: string): Promise<void> {
  await dispatchOk(ctx, 'startRun', { startDate, endDate });
  await ctx.runs.settled();
}

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SHORT_NOW);
}, 120_000);

describe('a restore by another process', () => {
  it('the next command forgets the kept runs and publishes database_replaced once; runs committing never do', async () => {
    const db = copyDb(seeded);
    const { ctx, seen } = hostOn(db);
    try {
      const backup = (await dispatchOk(ctx, 'createBackup', {})) as { file: string };
      await runInHost(ctx, '2025-07-01', '2025-07-03');
      expect(await trackedDates(ctx)).toContain('2025-07-03');

      // A run of another process commits dates on the file: writes, not a replacement.
      const other = await runCli(['run', '--db', db, '--start-date', '2025-07-07', '--end-date', '2025-07-08'], ENV);
      expect(other.code, other.stderr).toBe(0);
      await poll(ctx);
      expect(await trackedDates(ctx)).toContain('2025-07-08');
      expect(replacements(seen)).toEqual([]);
      expect((await recent(ctx)).runStart).not.toBeNull();

      const restored = await runCli(['restore', backup.file, '--db', db, '--yes', '--no-safety-backup'], ENV);
      expect(restored.code, restored.stderr).toBe(0);
      await poll(ctx);
      expect(replacements(seen)).toEqual(['other_process']);
      const after = await recent(ctx);
      expect(after.runStart).toBeNull();
      expect(after.events.filter((e) => e.run_id !== null)).toEqual([]);
      expect(await trackedDates(ctx)).toEqual([]);

      // Once per replacement, whichever command comes next.
      await poll(ctx);
      await recent(ctx);
      expect(replacements(seen)).toEqual(['other_process']);

      // A run after it commits on the restored file: still no replacement.
      await runInHost(ctx, '2025-07-01', '2025-07-01');
      await poll(ctx);
      expect(replacements(seen)).toEqual(['other_process']);
      expect((await recent(ctx)).runStart).not.toBeNull();
    } finally {
      ctx.reader?.close();
    }
  }, 120_000);

  it('a page opened after it gets no run of the replaced file: the first command it makes forgets them', async () => {
    const db = copyDb(seeded);
    const { ctx, seen } = hostOn(db);
    try {
      const backup = (await dispatchOk(ctx, 'createBackup', {})) as { file: string };
      await runInHost(ctx, '2025-07-01', '2025-07-02');
      await poll(ctx);
      expect((await runCli(['restore', backup.file, '--db', db, '--yes', '--no-safety-backup'], ENV)).code).toBe(0);
      expect((await recent(ctx)).runStart).toBeNull();
      expect(replacements(seen)).toEqual(['other_process']);
    } finally {
      ctx.reader?.close();
    }
  }, 120_000);

  it("the host's own restore is published once, as a restore", async () => {
    const db = copyDb(seeded);
    const { ctx, seen } = hostOn(db);
    try {
      const backup = (await dispatchOk(ctx, 'createBackup', {})) as { file: string };
      await runInHost(ctx, '2025-07-01', '2025-07-01');
      await poll(ctx);
      await dispatchOk(ctx, 'restoreBackup', { file: backup.file, safetyBackup: false });
      await poll(ctx);
      await trackedDates(ctx);
      await poll(ctx);
      expect(replacements(seen)).toEqual(['restore']);
    } finally {
      ctx.reader?.close();
    }
  }, 120_000);
});

describe('a replacing import by another process', () => {
  it('is published once on the next command; a merge, which keeps the file, is not', async () => {
    const db = join(tempDir('replaced-elsewhere-'), 'portfolios.sqlite');
    const dump = join(COMMITTED, 'reference.dump');
    expect((await runCli(['import', dump, '--db', db, '--quiet'], ENV)).code).toBe(0);
    const { ctx, seen } = hostOn(db);
    try {
      await poll(ctx);
      const merged = await runCli(['import', join(COMMITTED, 'reference-inserts.sql'), '--db', db, '--merge', '--quiet'], ENV);
      expect(merged.code, merged.stderr).toBe(0);
      await poll(ctx);
      expect(replacements(seen)).toEqual([]);

      const replaced = await runCli(['import', dump, '--db', db, '--replace', '--quiet'], ENV);
      expect(replaced.code, replaced.stderr).toBe(0);
      await poll(ctx);
      await poll(ctx);
      expect(replacements(seen)).toEqual(['other_process']);
    } finally {
      ctx.reader?.close();
    }
  }, 120_000);
});

describe('ReadConnection.fileReplaced', () => {
  it('a file copied where the read one was removed is a replacement; a write, or a first read after close, is none', () => {
    const db = copyDb(seeded);
    const spare = copyDb(seeded);
    const reader = new ReadConnection(db);
    try {
      expect(reader.fileReplaced()).toBe(false);
      reader.read((d) => d.prepare('SELECT 1').get());
      const writer = new Database(db);
      writer.prepare(`UPDATE settings SET value = value`).run();
      writer.close();
      expect(reader.fileReplaced()).toBe(false);

      rmSync(db);
      expect(reader.fileReplaced()).toBe(false);
      copyFileSync(spare, db);
      expect(reader.read((d) => d.prepare('SELECT count(*) AS n FROM portfolios').get())).toBeDefined();
      expect(reader.fileReplaced()).toBe(true);
      expect(reader.fileReplaced()).toBe(false);

      reader.close();
      rmSync(db);
      copyFileSync(spare, db);
      reader.read((d) => d.prepare('SELECT 1').get());
      expect(reader.fileReplaced()).toBe(false);
    } finally {
      reader.close();
    }
  });
});
