/**
 * A CSV cell with characters outside ASCII, echoed by `prices import`'s error, shows them as
 * \u escapes (SPEC.md k.1), not transliterated: full-width digits once printed as `"195.5"`,
 * a number that looks good, so the error read as nonsense.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../host/engine-host';
import { runCli, tempDir } from '../support/cli';
import { ENV } from '../support/safeguards';

describe('prices import of a cell in full-width digits', () => {
  it('echoes the cell with \\u escapes', async () => {
    const dir = tempDir('batchdesk-non-ascii-cell-');
    const db = join(dir, 'q.db');
    openStore(db).close();
    const csv = join(dir, 'fw.csv');
    writeFileSync(csv, 'symbol,date,close\nAAPL,2025-07-10,\uff11\uff19\uff15.5\n');
    const r = await runCli(['prices', 'import', csv, '--db', db], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `error: fw.csv line 2, column 3 (close): expected a number, got "\\uff11\\uff19\\uff15.5"; nothing was imported (fix the row, or run it again with --skip-bad-rows to import the others)`,
    );
  });
});
