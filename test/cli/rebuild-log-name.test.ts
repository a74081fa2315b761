/**
 * `rebuild`'s default log is `logs/rebuild_<S>_to_<E>.jsonl` (SPEC.md j.5, its --help): without
 * --end-date, E is the target date the rebuild ends at, as in the summary's name beside it (it
 * was `..._to_target.jsonl`, one file shared by every later rebuild from the same start).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';

describe('rebuild without --end-date or --log-file', () => {
  it('logs to logs/rebuild_<start>_to_<target date>.jsonl in the working folder', () => {
    const db = copyTo(seedDemoDb(SAFE_NOW));
    const cwd = tempDir();
    const r = spawnSync(process.execPath, [BIN, 'rebuild', '--db', db, '--start-date', '2025-07-09', '--yes', '--json'], { cwd, env: { ...process.env, ...ENV }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(SAFE_NOW.startsWith('2025-07-10')).toBe(true);
    // The log and the summary beside it share their name.
    expect(readdirSync(join(cwd, 'logs')).sort()).toEqual(['rebuild_2025-07-09_to_2025-07-10.jsonl', 'rebuild_2025-07-09_to_2025-07-10.summary.json']);
  }, 120_000);
});
