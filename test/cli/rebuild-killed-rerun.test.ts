/**
 * The command that runs a killed rebuild again (SPEC.md j.5, m.17) is the rebuild's own: a real
 * `batchdesk rebuild --chunk-days 3 --portfolio ID --market-data synthetic` child is killed with
 * SIGKILL in its backfill. `history --running` (text and --json) and `run --resume` (refusing the
 * rebuild's run) advise the full command, the database path shell-quoted and without `--yes`.
 * Pasted into /bin/sh on a terminal once the settings take prices online, it asks to confirm and
 * rebuilds the range with the rebuild's price source, and succeeds (a command without
 * `--market-data synthetic` would take the settings' online one: its backfill is refused, after
 * the purge).
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../core/api/shell-word';
import { BIN, runCli, tempDir } from '../support/cli';
import { backfillCommittedADate, killRebuildChild, purgeReported, readRow } from '../support/killed-rebuild';
import { atPrompt } from '../support/pseudo-terminal';
import { backfilledDemo, copyTo, ENV, execOn, FAMILY_PRIVATE } from '../support/safeguards';

/** The rebuild's own flags, as given (besides --db and --yes). */
const REBUILD_ARGS = ['--start-date', '2025-07-01', '--end-date', '2025-07-08', '--chunk-days', '3', '--portfolio', FAMILY_PRIVATE, '--market-data', 'synthetic'];

/**
 * Runs `command` as a user pasting it into a terminal would: through /bin/sh with `batchdesk` on
 * the PATH, on a pseudo-terminal where it answers y to the confirmation.
 */
function paste(command: string): Promise<{ code: number | null; screen: string }> {
  const bin = tempDir();
  writeFileSync(join(bin, 'batchdesk'), `#!/bin/sh\nexec ${shellWord(process.execPath)} ${shellWord(BIN)} "$@"\n`);
  chmodSync(join(bin, 'batchdesk'), 0o755);
  return atPrompt(command, 'y\r', { ...ENV, BATCHDESK_NO_BUNDLE: '1', PATH: `${bin}:${process.env['PATH'] ?? ''}` });
}

describe('a killed rebuild run again', () => {
  it("is advised with the rebuild's own flags, and the pasted command rebuilds with them", async () => {
    const db = copyTo(await backfilledDemo(), 'my portfolios.sqlite');
    await killRebuildChild([...REBUILD_ARGS, '--db', db], (output) => purgeReported(output) && backfillCommittedADate(db)());
    const rerun = `batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --chunk-days 3 --portfolio ${FAMILY_PRIVATE} --market-data synthetic --db '${db}'`;

    const text = await runCli(['history', '--running', '--db', db], ENV);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Run it again with \`${rerun}\``);
    const json = await runCli(['history', '--running', '--json', '--db', db], ENV);
    expect(JSON.parse(json.stdout).interruptedRebuild.rerunCommand).toBe(rerun);

    // The resume takes the dead lock over and refuses the rebuild's run with the same command.
    const resume = await runCli(['run', '--resume', '--db', db], ENV);
    expect(resume.code, resume.stdout).toBe(2);
    expect(resume.stderr).toContain(`run the rebuild again with \`${rerun}\``);

    // The settings take prices online now: only the rebuild's --market-data synthetic keeps the demo's source.
    execOn(db, (d) => d.prepare(`UPDATE settings SET value = '"online"' WHERE key = 'market_data.mode'`).run());
    const pasted = await paste(rerun);
    expect(pasted.code, pasted.screen).toBe(0);
    expect(pasted.screen).toContain(`Rebuild 2025-07-01 .. 2025-07-08 in ${db} (backup, purge, backfill)? [y/N]`);
    expect(pasted.screen).toContain('batchdesk rebuild  2025-07-01 .. 2025-07-08: SUCCESS');
    const row = readRow<{ status: string; details: string }>(db, `SELECT status, details FROM maintenance_log WHERE operation = 'rebuild' ORDER BY id DESC LIMIT 1`);
    expect(row!.status).toBe('success');
    expect(JSON.parse(row!.details)).toMatchObject({ portfolio_ids: [FAMILY_PRIVATE], options: { chunk_days: 3, market_data: 'synthetic' } });
    const backfill = readRow<{ status: string; options: string }>(db, `SELECT status, options FROM batch_run_history WHERE mode = 'rebuild' ORDER BY started_at DESC LIMIT 1`);
    expect(backfill!.status).toBe('completed');
    expect(JSON.parse(backfill!.options)).toMatchObject({ chunkDays: 3, marketData: 'synthetic', portfolios: [FAMILY_PRIVATE] });
  }, 300_000);
});
