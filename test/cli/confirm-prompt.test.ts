/**
 * The confirmation prompt of a destructive command (cli/commands/confirm.ts) on a real terminal
 * (test/support/pseudo-terminal.ts), where the test types into it. Ctrl-C
 * and Ctrl-D at the prompt abort like a "no": exit code 130, "aborted; nothing was changed", and
 * the database as it was (Ctrl-C printed an internal error with a stack trace, exit code 5).
 */
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../core/api/shell-word';
import { BIN } from '../support/cli';
import { atPrompt } from '../support/pseudo-terminal';
import { backfilledDemo, checksumsOf, copyTo, ENV } from '../support/safeguards';

/** Runs `batchdesk ARGS` on a pseudo-terminal and types `keys` once the prompt shows. */
const promptOf = (args: readonly string[], keys: string) => atPrompt([process.execPath, BIN, ...args].map(shellWord).join(' '), keys, { ...ENV, BATCHDESK_NO_BUNDLE: '1' });

describe('the confirmation prompt', () => {
  it.each<[string, string, string[]]>([
    ['Ctrl-C at purge', '\x03', ['purge', '--from', '2025-07-01', '--to', '2025-07-03']],
    ['Ctrl-D at purge', '\x04', ['purge', '--from', '2025-07-01', '--to', '2025-07-03']],
    ['Ctrl-C at rebuild', '\x03', ['rebuild', '--start-date', '2025-07-01', '--end-date', '2025-07-03']],
    ['"n" at rebuild', 'n\r', ['rebuild', '--start-date', '2025-07-01', '--end-date', '2025-07-03']],
  ])('%s aborts with exit code 130 and changes nothing', async (_, keys, args) => {
    const db = copyTo(await backfilledDemo());
    const before = checksumsOf(db);
    const r = await promptOf([...args, '--db', db], keys);
    expect(r.code, r.screen).toBe(130);
    expect(r.screen).toContain('error: aborted; nothing was changed');
    expect(r.screen).not.toMatch(/internal error|AbortError|\n\s+at /);
    expect(checksumsOf(db)).toEqual(before);
  }, 60_000);
});
