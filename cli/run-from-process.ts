/**
 * Process wiring for the CLI: signals (first SIGINT/SIGTERM requests a graceful cancel, a
 * second aborts at once; SPEC.md g.10) and the exit code.
 */
import { main, stopNotice } from './main';

export async function runFromProcess(argv: readonly string[]): Promise<void> {
  const graceful = new AbortController();
  const hard = new AbortController();
  const notice = stopNotice(argv);
  const onSignal = (): void => {
    if (!graceful.signal.aborted) {
      process.stderr.write(`${notice}\n`);
      graceful.abort();
    } else {
      hard.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(argv, { signal: graceful.signal, hardSignal: hard.signal });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
}
