/**
 * Running the CLI in tests: in-process through `main` (fast, for most cases) or as a real
 * child process through the package bin (for signals, locks and crashes).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { main } from '../../cli/main';
import { memoryIO } from './memory-io';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO_ROOT, 'cli/bin/batchdesk.mjs');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const io = memoryIO({ ...env }, REPO_ROOT);
  const code = await main(args, { io });
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

export function runCliProcess(args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs = 300_000): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'latin1', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function startCliProcess(args: readonly string[], env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export { tempDir } from './temp-dirs';

/** A fixed clock for demo runs: 2025-09-30 after the close, so the demo backfill is 66 trading days. */
export const DEMO_NOW_SHORT = '2025-09-30T23:00:00Z';
