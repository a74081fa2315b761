/**
 * Scratch folders for tests, benches and trials. Every folder made here is removed when the
 * test file ends (test/support/vitest-setup.ts) or, outside vitest, when the process exits, so
 * repeated runs do not fill the disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function tempDir(prefix = 'batchdesk-test-'): string {
  if (made.length === 0) process.once('exit', removeTempDirs);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir has made so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
