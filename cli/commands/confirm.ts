/**
 * Confirmation prompts of destructive commands. `--yes` skips them; without a terminal to ask
 * on, the command is refused (usage error, nothing changed) instead of going ahead unasked.
 * Anything but y or yes, Ctrl-D and Ctrl-C included, aborts (exit code 130, nothing changed).
 */
import { createInterface } from 'node:readline/promises';
import { BatchdeskError, usageError } from '../../core/api/errors';

export async function confirmOrAbort(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw usageError(`${question} There is no terminal to ask on: pass --yes to confirm. Nothing was changed.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-D (the end of input) answers no, as an empty answer does.
  const ended = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
  try {
    const answer = (await Promise.race([rl.question(`${question} [y/N] `), ended])).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new BatchdeskError('cancelled', 'aborted; nothing was changed');
  } catch (err) {
    // Ctrl-C at the prompt: readline rejects the question with an AbortError.
    throw (err as Error).name === 'AbortError' ? new BatchdeskError('cancelled', 'aborted; nothing was changed') : err;
  } finally {
    rl.close();
  }
}
