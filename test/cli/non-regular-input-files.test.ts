/**
 * Commands that read an input file refuse a device or a socket before reading it (audit:
 * `prices import /dev/zero` ran out of memory, `restore /dev/zero` called it a folder): a data
 * error, exit code 5, as for a missing file. A pipe (a process substitution `<(cat f.csv)`) is
 * still read, and named by the path given rather than its own name (`63`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { SAFE_NOW } from '../support/safeguards';

const ENV = { BATCHDESK_NOW: SAFE_NOW };

describe('input files that are not regular files', () => {
  const db = seedDemoDb(SAFE_NOW);

  it.each([
    [['prices', 'import', '/dev/zero'], '/dev/zero is not a regular file (a device or a socket, which may never end); give a file; nothing was imported'],
    [['profiles', 'import', '/dev/zero'], '/dev/zero is not a regular file (a device or a socket, which may never end); give a file; nothing was imported'],
    [['history', 'compare', '/dev/zero', 'db'], '/dev/zero is not a regular file (a device or a socket, which may never end); give a file'],
    [['restore', '/dev/zero', '--yes'], '/dev/zero is not a regular file (a device, pipe or socket), so it is no backup'],
  ])('%j is refused with exit code 5 before anything is read', async (args, message) => {
    const r = await runCli([...args, '--db', db], ENV);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain(message);
  });

  it('a pipe is read, and named by the path given', async () => {
    const fifo = join(tempDir(), 'prices.pipe');
    execFileSync('mkfifo', [fifo]);
    const csv = join(tempDir(), 'p.csv');
    writeFileSync(csv, 'symbol,date\nAAPL,2025-07-01\n');
    const writer = spawn('sh', ['-c', `cat "${csv}" > "${fifo}"`]);
    const r = await runCli(['prices', 'import', fifo, '--db', db], ENV);
    writer.kill();
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${fifo} line 1: the header has no "close" column`);
  });
});
