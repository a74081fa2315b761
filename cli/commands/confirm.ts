/**
 * Confirmation prompts of destructive commands. `--yes` skips them; without a terminal to ask
 * on, the command is refused (usage error, nothing changed) instead of going ahead unasked.
 */
import { createInterface } from 'node:readline/promises';
import { BatchdeskError, usageError } from '../../core/api/errors';

export async function confirmOrAbort(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw usageError(`${question} There is no terminal to ask on: pass --yes to confirm. Nothing was changed.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new BatchdeskError('cancelled', 'aborted; nothing was changed');
  } finally {
    rl.close();
  }
}
