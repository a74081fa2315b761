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
    out: writerTo(process.stdout),
    err: writerTo(process.stderr),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Lines to `stream`, until its reader goes away: `batchdesk run --dry-run | head` closes the
 * pipe after a few lines. That is no error of the command, which finishes its work (a run does
 * not stop halfway because nobody reads its summary) and exits with its own code; the lines
 * nobody reads are dropped. Any other write error is thrown as before.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let readerGone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  return (text) => {
    if (!readerGone) stream.write(`${toAscii(text)}\n`);
  };
}
