/** Confirmation prompts of destructive commands (`--yes` skips them; without a terminal there is no prompt). */
import { createInterface } from 'node:readline/promises';
import { BatchdeskError } from '../../core/api/errors';

export async function confirmOrAbort(question: string, yes: boolean): Promise<void> {
  if (yes || !process.stdin.isTTY) return;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new BatchdeskError('cancelled', 'aborted; nothing was changed');
  } finally {
    rl.close();
  }
}
