/**
 * One benchmark process: `tsx test/bench/backfill-runs.ts <core|full> <runs> <seeded db>`
 * backfills copies of the seeded demo file `runs` times in this fresh process and prints the
 * figures of every run as one JSON line. The first run is cold (JIT warm-up included, as in a
 * one-off CLI run) and its peak RSS is the memory of one backfill in a fresh process; later
 * runs are warm.
 */
import { PHASE_NAMES } from '../../core/domain/phase';
import { benchDemoBackfill, type BackfillFigures } from './engine-bench';

const BACKFILL_KINDS = {
  core: { label: 'demo backfill, phases market_data..sector_tags', options: { phases: PHASE_NAMES.filter((p) => p !== 'analytics') } },
  full: { label: 'demo backfill, all six phases', options: {} },
} as const;

const [kind, runsArg, seeded] = process.argv.slice(2);
const spec = BACKFILL_KINDS[kind as keyof typeof BACKFILL_KINDS];
const runs = Number(runsArg);
if (!spec || !Number.isInteger(runs) || runs < 1 || !seeded) {
  console.error('usage: tsx test/bench/backfill-runs.ts <core|full> <runs> <seeded db>');
  process.exit(2);
}
const out: BackfillFigures[] = [];
for (let i = 0; i < runs; i++) out.push(await benchDemoBackfill(spec.label, spec.options, seeded));
console.log(JSON.stringify(out));
