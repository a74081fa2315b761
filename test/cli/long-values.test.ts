/**
 * A value an error echoes is cut to a readable length (core/api/ascii-json.ts shownValue): its first
 * 60 characters, then `...` and how long it was, so a pasted file or a runaway variable given to
 * a flag does not fill the terminal. Every usage error that echoes a flag's value or an argument
 * says it this way, and in ASCII (SPEC.md k.1).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shownValue } from '../../core/api/ascii-json';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

const NOW = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };
const LONG = '7'.repeat(5000);
const CUT = `"${'7'.repeat(60)}"... (5000 characters)`;

describe('shownValue', () => {
  it.each<[string, string, string]>([
    ['a short value, quoted', 'abc', '"abc"'],
    ['an empty value', '', '""'],
    ['spaces, which the quotes show', ' 7 ', '" 7 "'],
    ['60 characters, whole', 'x'.repeat(60), `"${'x'.repeat(60)}"`],
    ['61 characters, cut', 'x'.repeat(61), `"${'x'.repeat(60)}"... (61 characters)`],
    ['a character outside ASCII, escaped', '\uff17', '"\\uff17"'],
    ['an astral character, counted once and never split', '\u{1F600}'.repeat(61), `"${'\\ud83d\\ude00'.repeat(60)}"... (61 characters)`],
  ])('%s', (_, value, shown) => {
    expect(shownValue(value)).toBe(shown);
  });
});

describe('usage errors echo a long value cut', () => {
  const db = join(tempDir(), 'none.db');
  it.each<[string, string[], string]>([
    ['a number flag', ['history', '--days', LONG], `error: --days ${CUT}: expected a whole number from 1 to 36500, written in digits, e.g. --days 30 (see \`batchdesk history --help\`)`],
    ['a choice flag', ['history', '--status', LONG], `error: --status ${CUT}: expected one of "running", "completed", "partial", "failed", "cancelled", "interrupted", "success", "stale" or "imported" (see \`batchdesk history --help\`)`],
    ['a flag in the run options', ['run', '--market-data', LONG], `error: --market-data ${CUT}: expected one of "online", "offline" or "synthetic" (see \`batchdesk run --help\`)`],
    ['a one-value flag given twice', ['history', '--days', LONG, '--days', '7'], `error: --days is given twice (${CUT}, then "7") but takes one value; keep one (see \`batchdesk history --help\`)`],
    ['an unexpected argument', ['cancel', LONG], `error: unexpected argument ${CUT} for \`batchdesk cancel\` (see \`batchdesk cancel --help\`)`],
    ['an unknown subcommand', ['history', LONG], `error: unknown subcommand ${CUT} of \`history\`; one of: export-baseline, compare (see \`batchdesk --help\`)`],
    [
      'a value that reads like a flag',
      ['run', '--risk-free-rate', `-${LONG}`],
      `error: --risk-free-rate "-${'7'.repeat(59)}"... (5001 characters): a value that starts with "-" reads like a flag; if you mean it, write --risk-free-rate=VALUE (see \`batchdesk run --help\`)`,
    ],
  ])('%s', async (_, args, message) => {
    const r = await runCli([...args, '--db', db], NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(message);
  });
});

describe('other errors that echo a value cut it too', () => {
  it('an unknown command', async () => {
    const r = await runCli([LONG], NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: unknown command ${CUT} (see \`batchdesk --help\`)`);
  });

  it('BATCHDESK_LOG_LEVEL', async () => {
    const r = await runCli(['history', '--db', join(tempDir(), 'none.db')], { ...NOW, BATCHDESK_LOG_LEVEL: LONG });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: BATCHDESK_LOG_LEVEL must be one of debug, info, warn, error (it is ${CUT}); unset it for the default, info`);
  });

  it('an unknown portfolio (core: the run, purge and the app say it the same way)', async () => {
    const db = seedDemoDb(NOW.BATCHDESK_NOW);
    const r = await runCli(['run', '--db', db, '--portfolio', LONG], NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: unknown portfolio ${CUT.replace(/[.()]/g, '\\$&')}; known ids: `));
  });
});
