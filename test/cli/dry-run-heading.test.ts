/**
 * The heading of `run --dry-run` (SPEC.md g.4): the dates asked for, as the flags wrote them;
 * the dates they resolved to; and the target date. With `--target-date D` the heading names D
 * (it once named only the latest settled trading day, the automatic range's end).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

const ENV = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };
const SETTLED = 'Target date: 2025-07-10 (the latest trading day whose close is settled, at 16:30 America/New_York)';

describe('the dry-run heading', () => {
  let db = '';
  beforeAll(() => {
    db = seedDemoDb(ENV.BATCHDESK_NOW, tempDir('batchdesk-dry-run-heading-'));
  }, 120_000);

  /** The heading's lines, between the banners. */
  const heading = async (...args: string[]): Promise<string[]> => {
    const r = await runCli(['run', '--db', db, '--dry-run', ...args], ENV);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.split('\n').slice(1, 4);
  };

  it('with --target-date D names D as asked, the date it resolved to, and the latest settled day', async () => {
    expect(await heading('--target-date', '2025-07-02')).toEqual([
      'batchdesk run --dry-run   Asked: --target-date 2025-07-02',
      'Resolved: 2025-07-02 (1 date to run)',
      'Target date: 2025-07-02 (as asked; the latest settled trading day is 2025-07-10)',
    ]);
  });

  it('with --target-date the latest settled day says so instead of naming the day twice', async () => {
    expect((await heading('--target-date', '2025-07-10'))[2]).toBe('Target date: 2025-07-10 (as asked; the latest settled trading day)');
  });

  it('with a range names its flags and the trading days in it (the Fourth of July left out)', async () => {
    expect(await heading('--start-date', '2025-07-02', '--end-date', '2025-07-08')).toEqual([
      'batchdesk run --dry-run   Asked: --start-date 2025-07-02 --end-date 2025-07-08',
      'Resolved: 2025-07-02 .. 2025-07-08 (4 dates to run)',
      SETTLED,
    ]);
  });

  it('without dates says it runs every date not yet run, up to the target date', async () => {
    expect(await heading()).toEqual([
      'batchdesk run --dry-run   Asked: no dates (every date not yet run, up to the target date)',
      'Resolved: 2025-06-30 .. 2025-07-10 (8 dates to run)',
      SETTLED,
    ]);
  });

  it('a range without a trading day resolves to no date', async () => {
    expect(await heading('--start-date', '2025-07-05', '--end-date', '2025-07-06')).toEqual([
      'batchdesk run --dry-run   Asked: --start-date 2025-07-05 --end-date 2025-07-06',
      'Resolved: no date to run',
      SETTLED,
    ]);
  });
});
