/**
 * A purge range that can hold no derived row is refused before anything happens, as `run`
 * refuses it (SPEC.md k.3, m.22): a range with no trading day (a weekend, a holiday) and a date
 * after the target date are usage errors (exit code 2), with no backup file and no
 * maintenance_log row, even with --yes. A purge that goes ahead names the lots it resets with
 * the glossary's word (a.1: "Position (lot)"), as the app does ("89 positions reset").
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../host/engine-host';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';

/** 2025-12-31 after the close: the target date is 2025-12-31. */
const ENV = { BATCHDESK_NOW: '2025-12-31T23:00:00Z' };

function freshDb(): string {
  const db = join(tempDir('purge-empty-range-'), 'portfolios.sqlite');
  openStore(db).close();
  return db;
}

const REFUSED: [string, string[], RegExp][] = [
  ['a weekend', ['--from', '2025-12-06', '--to', '2025-12-07'], /^error: Nothing to purge: no trading day from 2025-12-06 to 2025-12-07 \(weekends and NYSE holidays are not processed/],
  ['a holiday', ['--from', '2025-12-25', '--to', '2025-12-25'], /^error: Nothing to purge: 2025-12-25 is not a trading day \(weekends and NYSE holidays/],
  ['a range after the target date', ['--from', '2026-01-05', '--to', '2026-01-06'], /^error: --from 2026-01-05: its close is not settled yet \(the target date, the latest settled trading day, is 2025-12-31\)/],
  ['an end after the target date', ['--from', '2025-12-01', '--to', '2026-01-06'], /^error: --to 2026-01-06: its close is not settled yet/],
  ['an open range that starts after the target date', ['--from', '2026-01-05'], /^error: --from 2026-01-05: its close is not settled yet/],
];

describe('purge over a range with nothing to purge', () => {
  for (const [what, range, message] of REFUSED) {
    it(`${what}: exit 2 before any backup; no backup file, no maintenance_log row`, async () => {
      const db = freshDb();
      const before = tableContents(db);
      const r = await runCli(['purge', '--db', db, ...range, '--yes'], ENV);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
      expect(tableContents(db)).toEqual(before);
      expect(existsSync(join(dirname(db), 'backups'))).toBe(false);
    });
  }

  it('is refused before the confirmation question too (no --yes, no terminal)', async () => {
    const db = freshDb();
    const r = await runCli(['purge', '--db', db, '--from', '2025-12-06', '--to', '2025-12-07'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: Nothing to purge: no trading day from 2025-12-06 to 2025-12-07/);
    expect(r.stderr).not.toMatch(/--yes/);
  });

  it('a range with a trading day goes ahead; the reset lots are called positions', async () => {
    const db = freshDb();
    const r = await runCli(['purge', '--db', db, '--from', '2025-12-05', '--to', '2025-12-07', '--yes', '--no-backup'], ENV);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Positions whose mark cache is reset: 0   Portfolios whose equity is reset: 0$/m);
    expect(r.stdout).not.toMatch(/Lots whose/);
  });
});
