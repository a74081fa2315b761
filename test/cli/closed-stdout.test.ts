/**
 * A reader that goes away early (`batchdesk run --dry-run | head -1`) is no error of the
 * command: it finishes and exits with its own code, without an EPIPE crash on stderr.
 */
import { describe, expect, it } from 'vitest';
import { startCliProcess } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { SAFE_NOW } from '../support/safeguards';

describe('stdout closed by its reader', () => {
  it('run --dry-run | head -1: exit 0, nothing on stderr about the pipe', async () => {
    const db = seedDemoDb(SAFE_NOW);
    const child = startCliProcess(['run', '--dry-run', '--db', db], { BATCHDESK_NOW: SAFE_NOW });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close the pipe as `head -1` does.
    child.stdout!.once('data', () => child.stdout!.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).not.toContain('EPIPE');
    expect(code, stderr).toBe(0);
  }, 120_000);
});
