import { describe, expect, it } from 'vitest';
import { applyRetention, BOOT_TIME_SLACK_MS, judgePartialBackup, UNCHECKED_PARTIAL_ABANDONED_AFTER_MS, type BackupEntry, type PartialBackupObserver, type WriterStart } from '../../../core/maintenance/backup-retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 9, 1);
const b = (file: string, ageDays: number, reason = 'manual'): BackupEntry => ({ file, createdMs: NOW - ageDays * DAY, reason });

describe('backup retention (SPEC.md j.2)', () => {
  it('keeps the newest N, everything younger than keepDays and the newest of each reason', () => {
    const list = [b('m1', 100), b('m2', 90), b('m3', 80), b('p1', 200, 'pre-purge'), b('p2', 150, 'pre-purge'), b('young', 5), b('r1', 300, 'pre-rebuild')];
    const d = applyRetention(list, NOW, { keep: 2, keepDays: 30 });
    // newest two: young (5 d), m3 (80 d); young is also < 30 d; newest pre-purge p2; newest pre-rebuild r1
    expect(d.keep.map((x) => x.file).sort()).toEqual(['m3', 'p2', 'r1', 'young']);
    expect(d.delete.map((x) => x.file).sort()).toEqual(['m1', 'm2', 'p1']);
    expect(d.why['young']).toBe('newest');
    expect(d.why['p2']).toBe('newest_of_reason');
  });

  it('invariants: every backup is kept or deleted once; order of input does not matter', () => {
    const list = Array.from({ length: 25 }, (_, i) => b(`f${i}`, i * 3, i % 3 === 0 ? 'scheduled' : 'manual'));
    const a = applyRetention(list, NOW, { keep: 10, keepDays: 30 });
    const r = applyRetention([...list].reverse(), NOW, { keep: 10, keepDays: 30 });
    expect(a.keep.length + a.delete.length).toBe(25);
    expect(a.keep.map((x) => x.file)).toEqual(r.keep.map((x) => x.file));
    // ages 0..72 days step 3: 10 newest (0..27 d) are also the ones < 30 d; newest scheduled/manual already kept
    expect(a.keep).toHaveLength(10);
    expect(applyRetention([], NOW).keep).toEqual([]);
    // keepDays 0 disables the age rule, even for a backup stamped after `now`.
    expect(applyRetention([b('a', -0.001), b('b', 1)], NOW, { keep: 1, keepDays: 0 }).delete.map((x) => x.file)).toEqual(['b']);
  });
});

describe('partial backup copies (SPEC.md j.1: what a stopped backup left)', () => {
  const BOOTED = NOW - 5 * DAY;
  // Pid 100 runs, and started at tick 5000 of this boot.
  const here: PartialBackupObserver = { host: 'desk', nowMs: NOW, boot: { bootId: 'boot-b', bootedAtMs: BOOTED }, isPidAlive: (pid) => pid === 100, processStartTicks: (pid) => (pid === 100 ? 5000 : null) };
  const written = (agoMs: number) => NOW - agoMs;

  it('on this machine, follows its writer: kept while the pid runs, abandoned once it is gone, whatever its age', () => {
    expect(judgePartialBackup({ lastWrittenMs: written(3 * DAY), writer: { host: 'desk', pid: 100 } }, here)).toEqual({ state: 'writing', pid: 100 });
    expect(judgePartialBackup({ lastWrittenMs: written(1000), writer: { host: 'desk', pid: 200 } }, here)).toEqual({ state: 'abandoned', because: 'writer-stopped', pid: 200 });
  });

  it('without a writer that can be checked (no record, another machine), abandoned only once unchanged for a day', () => {
    expect(UNCHECKED_PARTIAL_ABANDONED_AFTER_MS).toBe(DAY);
    for (const writer of [null, { host: 'laptop', pid: 100 }, { host: 'laptop', pid: 200 }]) {
      expect(judgePartialBackup({ lastWrittenMs: written(DAY - 1), writer }, here)).toEqual({ state: 'unconfirmed', removableFromMs: NOW + 1 });
      expect(judgePartialBackup({ lastWrittenMs: written(DAY), writer }, here)).toEqual({ state: 'abandoned', because: 'unchanged' });
    }
  });

  it('a pid that runs another program now (the machine restarted, or the pid came round again) no longer keeps it', () => {
    const judge = (start: WriterStart, on: PartialBackupObserver = here) => judgePartialBackup({ lastWrittenMs: written(1000), writer: { host: 'desk', pid: 100, start } }, on);
    // The writer itself: same boot, same start.
    expect(judge({ bootId: 'boot-b', bootedAtMs: BOOTED, ticks: 5000 })).toEqual({ state: 'writing', pid: 100 });
    // Another boot by its id, whatever the boot times say.
    expect(judge({ bootId: 'boot-a', bootedAtMs: BOOTED, ticks: 5000 })).toEqual({ state: 'abandoned', because: 'machine-restarted', pid: 100 });
    // This boot, another start: the pid came round again.
    expect(judge({ bootId: 'boot-b', bootedAtMs: BOOTED, ticks: 4000 })).toEqual({ state: 'abandoned', because: 'pid-reused', pid: 100 });
    // Where start ticks cannot be read on either side, the pid running is what counts.
    expect(judge({ bootId: 'boot-b', bootedAtMs: BOOTED, ticks: null })).toEqual({ state: 'writing', pid: 100 });
    expect(judge({ bootId: 'boot-b', bootedAtMs: BOOTED, ticks: 4000 }, { ...here, processStartTicks: () => null })).toEqual({ state: 'writing', pid: 100 });
    // A pid that does not run: stopped, whatever was recorded.
    expect(judgePartialBackup({ lastWrittenMs: written(1000), writer: { host: 'desk', pid: 200, start: { bootId: 'boot-b', bootedAtMs: BOOTED, ticks: 1 } } }, here)).toEqual({ state: 'abandoned', because: 'writer-stopped', pid: 200 });
  });

  it('without boot ids, a boot time later by more than the slack is a restart; clock adjustments within it are not', () => {
    const noId: PartialBackupObserver = { ...here, boot: { bootId: null, bootedAtMs: BOOTED }, processStartTicks: () => null };
    const judge = (bootedAtMs: number, bootId: string | null = null) => judgePartialBackup({ lastWrittenMs: written(1000), writer: { host: 'desk', pid: 100, start: { bootId, bootedAtMs, ticks: null } } }, noId);
    expect(BOOT_TIME_SLACK_MS).toBe(600_000);
    expect(judge(BOOTED - BOOT_TIME_SLACK_MS)).toEqual({ state: 'writing', pid: 100 });
    expect(judge(BOOTED + 3 * BOOT_TIME_SLACK_MS)).toEqual({ state: 'writing', pid: 100 });
    expect(judge(BOOTED - BOOT_TIME_SLACK_MS - 1)).toEqual({ state: 'abandoned', because: 'machine-restarted', pid: 100 });
    // A boot id on one side only: the boot times decide.
    expect(judge(BOOTED, 'boot-a')).toEqual({ state: 'writing', pid: 100 });
  });

  it('an old record (no start) is judged as before: kept while its pid runs', () => {
    expect(judgePartialBackup({ lastWrittenMs: written(3 * DAY), writer: { host: 'desk', pid: 100 } }, { ...here, boot: { bootId: 'boot-z', bootedAtMs: NOW } })).toEqual({ state: 'writing', pid: 100 });
  });
});
