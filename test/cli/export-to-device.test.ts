/**
 * An export to a device (`--out /dev/null`, `/dev/stdout`) writes into it and leaves it a
 * device: the export's write through a temporary file renamed over the target put a plain file
 * in the place of /dev/null. Here a null device made with mknod in a temporary folder stands in
 * for /dev/null (tests run as root, STACK.md).
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { ENV, SAFE_NOW } from '../support/safeguards';

let db = '';
beforeAll(() => {
  db = seedDemoDb(SAFE_NOW);
}, 120_000);

/** A null character device (major 1, minor 3, as /dev/null) in a new temporary folder. */
function nullDevice(): string {
  const dev = join(tempDir('batchdesk-dev-'), 'null');
  execFileSync('mknod', ['-m', '666', dev, 'c', '1', '3']);
  return dev;
}

describe('an export to a device', () => {
  it.each([['prices'], ['profiles']])('%s export --out a null device writes into it and leaves it a device', async (what) => {
    const dev = nullDevice();
    const r = await runCli([what, 'export', '--out', dev, '--db', db], ENV);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(statSync(dev).isCharacterDevice()).toBe(true);
  });
});
