/**
 * Every taker of a killed rebuild's lock says what the takeover did (the rebuild closed as failed,
 * the gate closed over its range) and the ways out, in the same words (core/maintenance/
 * takeover-words.ts), where a user sees them: a run with nothing to do (refused at the gate the
 * takeover closed, m.16; with --ignore-gate among its warnings), a resume refused for having nothing to resume, `seed-demo`,
 * `prices import`, `profiles import`, `purge` (whose rebuild advice is then the ways out: a run is refused at that
 * gate) and `import --merge`. `verify guard` passing over a range some of whose failed dates were
 * purged says why the gate stays closed, and following its advice reopens it.
 */
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGate } from '../../../db/maintenance/gate-setting';
import { openStore } from '../../../host/engine-host';
import { runCli, tempDir } from '../../support/cli';
import { runDemo } from '../../support/demo-db';
import { KILLED_BACKUP, KILLED_RANGE_DATES, killedRebuildWords, leaveKilledRebuild } from '../../support/killed-rebuild';
import { writeReferenceDump } from '../../support/reference-dump';
import { backfilledDemo, copyTo, ENV, SAFE_NOW } from '../../support/safeguards';

let backfilled = '';

beforeAll(async () => {
  backfilled = await backfilledDemo();
}, 300_000);

/** A copy of the backfilled demo (up to date at SAFE_NOW) with a killed rebuild left in it; its path and the rebuild's dead pid. */
function withKilledRebuild(): { path: string; pid: number } {
  const path = copyTo(backfilled);
  return { path, pid: leaveKilledRebuild(path, SAFE_NOW) };
}

/** The lock, settings.maintenance and the gate after the takeover. */
function leftState(path: string) {
  const opened = openStore(path, { mustExist: true });
  try {
    return { lock: opened.store.readLock(), maintenance: opened.store.loadSettings()['maintenance'], gate: readGate(opened.db) };
  } finally {
    opened.close();
  }
}

/** The refusal of a run at the gate the takeover of the rebuild's lock closed (`since`), by a run that took nothing over. */
const gateRefusal = (pid: number, path: string, since: string) =>
  `the regression gate is closed since ${since} (1 finding(s), the first on 2025-07-01..2025-07-08: rebuild failed: interrupted: the rebuild process (pid ${pid} on ${hostname()}) stopped before it finished; restore the backup with \`batchdesk restore ${KILLED_BACKUP} --db ${path}\`); ` +
  `fix the data and run \`batchdesk verify guard --start-date 2025-07-01 --end-date 2025-07-08\`, which reopens it once it passes over the failed dates, reopen it with \`batchdesk verify guard --reopen --reason TEXT\`, or start with --ignore-gate`;

describe('a run with nothing to do', () => {
  it("takes the dead rebuild's lock over and is refused at the gate that closed (m.16: before 'up to date'), saying what the takeover did; the next one is refused at the gate", async () => {
    const { path, pid } = withKilledRebuild();
    await expect(runDemo(path, SAFE_NOW, { guard: false })).rejects.toMatchObject({ code: 'gate_closed', message: `${killedRebuildWords(pid, path)}, or start the run with --ignore-gate` });
    expect(leftState(path)).toMatchObject({ lock: null, maintenance: { active: false }, gate: { state: 'closed', dates: [...KILLED_RANGE_DATES] } });

    await expect(runDemo(path, SAFE_NOW, { guard: false })).rejects.toMatchObject({ code: 'gate_closed', message: gateRefusal(pid, path, leftState(path).gate.since!) });
  }, 120_000);

  it('the CLI prints that refusal and exits 4', async () => {
    const { path, pid } = withKilledRebuild();
    const r = await runCli(['run', '--db', path], ENV);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr.trim().split('\n')).toEqual([`error: ${killedRebuildWords(pid, path)}, or start the run with --ignore-gate`]);
  }, 120_000);

  it('with --ignore-gate says what the takeover did among its warnings, and is up to date', async () => {
    const { path, pid } = withKilledRebuild();
    const r = await runDemo(path, SAFE_NOW, { guard: false, ignoreGate: true });
    expect(r.kind === 'up_to_date' && r.summary.warnings).toEqual([killedRebuildWords(pid, path)]);
    expect(leftState(path).lock).toBeNull();
  }, 120_000);

  it('a resume with nothing to resume, refused after the takeover, says what the takeover did', async () => {
    const { path, pid } = withKilledRebuild();
    const refused = runDemo(path, SAFE_NOW, { resume: 'latest', guard: false });
    await expect(refused).rejects.toMatchObject({ code: 'usage', exitCode: 2 });
    const message = ((await refused.catch((e: Error) => e)) as Error).message;
    expect(message).toMatch(/^there is no interrupted or cancelled run to resume/);
    expect(message.endsWith(`. Nothing was run, but ${killedRebuildWords(pid, path)}`)).toBe(true);
  }, 120_000);
});

describe('maintenance commands that take the lock over', () => {
  it('`seed-demo` succeeds with one warning line saying what the takeover did, in --json too', async () => {
    const { path, pid } = withKilledRebuild();
    const r = await runCli(['seed-demo', '--db', path], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([`warning: ${killedRebuildWords(pid, path)}`]);
    expect(leftState(path)).toMatchObject({ lock: null, gate: { state: 'closed' } });
    const again = withKilledRebuild();
    const json = await runCli(['seed-demo', '--json', '--db', again.path], ENV);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings).toEqual([killedRebuildWords(again.pid, again.path)]);
  }, 120_000);

  it('`prices import` and `profiles import` succeed with one warning line saying what the takeover did', async () => {
    const dir = tempDir();
    const files = { prices: join(dir, 'one.csv'), profiles: join(dir, 'prof.csv') };
    writeFileSync(files.prices, 'symbol,date,close\nAAPL,2025-07-10,210.5\n');
    writeFileSync(files.profiles, 'symbol,sector\nAAPL,Technology\n');
    for (const what of ['prices', 'profiles'] as const) {
      const { path, pid } = withKilledRebuild();
      const r = await runCli([what, 'import', files[what], '--db', path], ENV);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([`warning: ${killedRebuildWords(pid, path)}`]);
      expect(leftState(path)).toMatchObject({ lock: null, gate: { state: 'closed' } });
    }
  }, 120_000);

  it('`purge` warns what the takeover did and advises its ways out instead of a run the gate refuses', async () => {
    const { path, pid } = withKilledRebuild();
    const r = await runCli(['purge', '--from', '2025-07-07', '--to', '2025-07-08', '--no-backup', '--yes', '--db', path], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([`warning: ${killedRebuildWords(pid, path)}`]);
    const waysOut = killedRebuildWords(pid, path).split('; ')[1];
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Rebuild'))).toEqual([`Rebuild: \`batchdesk run\` is refused at the gate the lock takeover above closed; for the interrupted rebuild, ${waysOut}`]);
  }, 120_000);

  it('`import --merge` lists it among the import report\'s warnings', async () => {
    const dump = join(tempDir(), 'reference.sql');
    writeReferenceDump(backfilled, dump);
    const { path, pid } = withKilledRebuild();
    const r = await runCli(['import', dump, '--merge', '--db', path], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toContain(`  warning: ${killedRebuildWords(pid, path)}`);
    expect(leftState(path).gate.state).toBe('closed');
  }, 300_000);
});

describe('`verify guard` over the range of a gate some of whose failed dates were purged', () => {
  it('passes, says why the gate stays closed and what reopens it; following that reopens it', async () => {
    const { path } = withKilledRebuild();
    expect((await runCli(['purge', '--from', '2025-07-07', '--to', '2025-07-08', '--no-backup', '--yes', '--db', path], ENV)).code).toBe(0);
    const reopen = `reopen it with \`batchdesk verify guard --reopen --reason TEXT --db ${path}\``;
    const verifyAll = `\`batchdesk verify guard --start-date 2025-07-01 --end-date 2025-07-08 --db ${path}\` reopens it once it passes over all of them`;
    const gateLine = async (start: string, end: string) => {
      const r = await runCli(['verify', 'guard', '--start-date', start, '--end-date', end, '--db', path], ENV);
      expect(r.stdout).toContain('Guard: pass');
      return r.stdout.split('\n').find((l) => l.startsWith('Gate:'));
    };

    expect(await gateLine('2025-07-01', '2025-07-08')).toBe(
      `Gate: closed, and stays closed: 2 of its 5 failed dates have no processed rows to check (the first: 2025-07-07); ` +
        `process them with \`batchdesk run --start-date 2025-07-07 --end-date 2025-07-08 --ignore-gate --db ${path}\`; then ${verifyAll}, or ${reopen}`,
    );
    // The purged dates need a run wherever the guard's range lies (after a killed rebuild, the
    // latest run's dates end where the kill came: a tester was told to process 1 of 44 dates).
    expect(await gateLine('2025-07-01', '2025-07-02')).toBe(
      `Gate: closed, and stays closed: 2 of its 5 failed dates have no processed rows to check (the first: 2025-07-07); ` +
        `process them with \`batchdesk run --start-date 2025-07-07 --end-date 2025-07-08 --ignore-gate --db ${path}\`; ` +
        `1 of its 5 failed dates lie outside the dates checked (the first: 2025-07-03); then ${verifyAll}, or ${reopen}`,
    );

    // The advice, followed: the run processes the purged dates, then the guard over all of them reopens the gate.
    expect((await runCli(['run', '--start-date', '2025-07-07', '--end-date', '2025-07-08', '--ignore-gate', '--db', path], ENV)).code).toBe(0);
    expect(await gateLine('2025-07-01', '2025-07-03')).toBe(`Gate: closed, and stays closed: 2 of its 5 failed dates lie outside the dates checked (the first: 2025-07-07); ${verifyAll}, or ${reopen}`);
    expect(await gateLine('2025-07-01', '2025-07-08')).toMatch(/^Gate: open \(reopened now: guard passed over the dates that failed/);
  }, 180_000);
});
