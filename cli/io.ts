/**
 * The CLI's output streams. Everything written goes through toAscii, so no byte above 0x7F
 * ever reaches a terminal or a pipe (SPEC.md k.1). Tests pass an in-memory implementation
 * (test/support/memory-io.ts).
 */
import { toAscii } from './ascii';

export interface CliIO {
  /** Report text (stdout). */
  out(text: string): void;
  /** Progress and diagnostics (stderr). */
  err(text: string): void;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIO(): CliIO {
  return {
    out: (t) => process.stdout.write(`${toAscii(t)}\n`),
    err: (t) => process.stderr.write(`${toAscii(t)}\n`),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
