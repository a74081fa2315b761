/**
 * A run warns once of a CSV folder file that no needed symbol reads because of its name (SPEC.md
 * e.8: never a `.csv` file ignored silently): one `csv_ignored_file` warning per file and run,
 * however many chunks ask the folder, naming the name it should have.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, runEngine } from '../support/market-data-engine';

const NOW = '2025-03-15T12:00:00Z';
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

describe('a misnamed CSV folder file (offline)', () => {
  const dir = tempDir('batchdesk-csv-misnamed-run-');

  it('is one warning per run, over two chunks, naming the name it should have', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(join(csvDir, 'MSFT (1).csv'), 'date,close\n2025-03-03,100\n2025-03-04,101\n');
    const db = join(dir, 'misnamed.db');
    createSmallDatabase(db, [{ symbol: 'MSFT', quantity: 100, entryDate: '2025-03-03' as IsoDate }], { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-14', chunkDays: 7 }, offline, advancingClock(NOW));
    expect(run.result.kind === 'run' && run.result.summary.chunks.length).toBe(2);
    const warnings = run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === 'csv_ignored_file' ? [{ level: e.level, tags: e.payload.tags }] : []));
    expect(warnings).toEqual([
      { level: 'warn', tags: { provider: 'csv', file: 'MSFT (1).csv', symbol: 'MSFT', message: 'MSFT (1).csv in the CSV folder is not read: "MSFT (1)" is no symbol; rename it MSFT.csv' } },
    ]);
  }, 120_000);
});
