/** A CliIO that captures output in memory, through the same toAscii as the real streams. */
import { toAscii } from '../../cli/ascii';
import type { CliIO } from '../../cli/io';

export function memoryIO(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(toAscii(t)),
    err: (t) => stderr.push(toAscii(t)),
    stderrIsTTY: false,
    env,
    cwd,
  };
}
