/**
 * Golden run (SPEC.md Appendix C.22): the demo, seeded with synthetic prices (seed 42), backfilled
 * from 2025-06-30 to 2025-09-30, exports a baseline equal to the committed golden file within
 * the compare tolerances. Any change to a number the engine writes shows up here.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { baselineSchema, compareBaselines } from '../../../core/validation/baseline';
import { openDatabase } from '../../../db/open-database';
import { exportBaseline } from '../../../host/diagnostics/baseline';
import { REPO_ROOT } from '../../support/cli';
import { runDemo, seedDemoDb } from '../../support/demo-db';

const NOW = '2025-09-30T23:00:00Z';
const GOLDEN = join(REPO_ROOT, 'test/fixtures/golden/demo-2025-09-30.baseline.json.gz');

describe('golden run', () => {
  it('the demo backfill to 2025-09-30 matches the committed baseline', async () => {
    const path = seedDemoDb(NOW);
    const r = await runDemo(path, NOW);
    expect(r.exitCode).toBe(0);
    const db = openDatabase(path);
    const baseline = exportBaseline(db, { start: '2025-06-30' as IsoDate, end: '2025-09-30' as IsoDate, databaseName: 'demo.db', nowMs: Date.parse(NOW) });
    db.close();
    if (process.env['BATCHDESK_GOLDEN_UPDATE'] === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, gzipSync(`${JSON.stringify(baseline)}\n`, { level: 9 }));
    }
    const golden = baselineSchema.parse(JSON.parse(gunzipSync(readFileSync(GOLDEN)).toString('utf8')));
    const cmp = compareBaselines(golden, baseline);
    expect(cmp.differences.slice(0, 20)).toEqual([]);
    expect(baseline.outputs.length).toBe(65 * 5);
  }, 300_000);
});
