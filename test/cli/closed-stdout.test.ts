/**
 * A reader that goes away early (`batchdesk run --dry-run | head -1`) is no error of the
 * command: it finishes and exits with its own code, without an EPIPE crash on stderr. The pipe
 * is a shell's, as a user makes it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

describe('stdout closed by its reader', () => {
  it('run --dry-run | head -1: exit 0, nothing on stderr about the pipe', () => {
    // The plan of the whole automatic range: 1,785 lines, more than a pipe holds.
    const now = '2026-11-27T23:00:00Z';
    const db = seedDemoDb(now);
    const stderrFile = join(tempDir(), 'stderr.txt');
    const script = `"$0" "$1" run --dry-run --db "$2" 2>"$3" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const code = execFileSync('bash', ['-c', script, process.execPath, BIN, db, stderrFile], { env: { ...process.env, BATCHDESK_NOW: now }, encoding: 'utf8' }).trim();
    const stderr = readFileSync(stderrFile, 'utf8');
    expect(stderr).not.toContain('EPIPE');
    expect(code, stderr).toBe('0');
  }, 120_000);
});
