/**
 * The command that runs an interrupted rebuild again (core/maintenance/interrupted-rebuild.ts,
 * SPEC.md j.5, m.17) repeats the options that changed what the rebuild computed: its chunk size
 * (unless the default), its price source and its CSV folder, each word shell-quoted so that a
 * pasted command runs the same rebuild (read back with a real /bin/sh). It never says `--yes`.
 * The rebuild's maintenance_log row records the options (details.options); a row written before
 * they were recorded keeps the range-and-portfolios command.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebuildCommandFor } from '../../../core/maintenance/interrupted-rebuild';
import { interruptedRebuild } from '../../../db/maintenance/interrupted-maintenance';
import { startMaintenance } from '../../../db/maintenance/maintenance-log';
import { openStore } from '../../../host/engine-host';
import { tempDir } from '../../support/cli';

const RANGE = { start: '2025-07-01', end: '2025-12-31' };
const PORTFOLIO = 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c';

/** The words /bin/sh reads from `command`. */
const shellWords = (command: string): string[] => execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' }).split('\0').slice(0, -1);

describe('rebuildCommandFor', () => {
  it("appends the rebuild's own flags in `rebuild`'s flag order, never --yes", () => {
    expect(rebuildCommandFor({ range: RANGE, portfolioIds: [PORTFOLIO], options: { chunkDays: 3, marketData: 'synthetic' } }, ' --db p.db')).toBe(
      `batchdesk rebuild --start-date 2025-07-01 --end-date 2025-12-31 --chunk-days 3 --portfolio ${PORTFOLIO} --market-data synthetic --db p.db`,
    );
    expect(rebuildCommandFor({ range: RANGE, portfolioIds: [], options: { chunkDays: 0, marketData: 'offline', csvDir: '/data/prices' } }, '')).toBe(
      'batchdesk rebuild --start-date 2025-07-01 --end-date 2025-12-31 --chunk-days 0 --market-data offline --csv-dir /data/prices',
    );
  });

  it('leaves out the default chunk size and the options the rebuild was not given', () => {
    expect(rebuildCommandFor({ range: RANGE, portfolioIds: [], options: { chunkDays: 7 } }, ' --db p.db')).toBe('batchdesk rebuild --start-date 2025-07-01 --end-date 2025-12-31 --db p.db');
    expect(rebuildCommandFor({ range: RANGE, portfolioIds: [], options: {} }, '')).toBe('batchdesk rebuild --start-date 2025-07-01 --end-date 2025-12-31');
  });

  it('quotes every value so that the shell reads the same words back', () => {
    const csvDir = "/tmp/it's my $HOME/prices";
    const command = rebuildCommandFor({ range: RANGE, portfolioIds: [PORTFOLIO], options: { chunkDays: 3, marketData: 'online', csvDir } }, " --db '/tmp/my db.sqlite'");
    expect(command).toContain(`--csv-dir '/tmp/it'\\''s my $HOME/prices'`);
    expect(shellWords(command)).toEqual([
      'batchdesk', 'rebuild', '--start-date', '2025-07-01', '--end-date', '2025-12-31', '--chunk-days', '3',
      '--portfolio', PORTFOLIO, '--market-data', 'online', '--csv-dir', csvDir, '--db', '/tmp/my db.sqlite',
    ]);
  });
});

describe("an interrupted rebuild's rerun command", () => {
  const NOW = '2025-07-10T23:00:00.000Z';

  /** The rerun command of a database whose only rebuild row has `details`, left open. */
  function rerunOf(details: Record<string, unknown>): string | null {
    const opened = openStore(join(tempDir(), 'left.db'));
    try {
      startMaintenance(opened.db, 'rebuild', { range: RANGE, portfolio_ids: [PORTFOLIO], folder: '/backups', backup_file: null, ...details }, NOW, 'rebuild-dead');
      return interruptedRebuild(opened.db)!.rerunCommand;
    } finally {
      opened.close();
    }
  }

  it('repeats the options its maintenance_log row records', () => {
    expect(rerunOf({ options: { chunk_days: 3, market_data: 'offline', csv_dir: '/data/my prices' } })).toMatch(
      new RegExp(`^batchdesk rebuild --start-date 2025-07-01 --end-date 2025-12-31 --chunk-days 3 --portfolio ${PORTFOLIO} --market-data offline --csv-dir '/data/my prices' --db /\\S+/left\\.db$`),
    );
  });

  it('names the range and portfolios only for a row written before options were recorded', () => {
    expect(rerunOf({})).toMatch(new RegExp(`^batchdesk rebuild --start-date 2025-07-01 --end-date 2025-12-31 --portfolio ${PORTFOLIO} --db /\\S+/left\\.db$`));
  });
});
