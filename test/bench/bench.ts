/**
 * `npm run bench`: prints the speed and memory figures the issues set targets for. Figures,
 * not assertions: the unit tests never time anything.
 */
import { PHASE_NAMES } from '../../core/domain/phase';
import { runCalcBench } from './calc-bench';
import { BENCH_NOW, benchDemoBackfill, type BackfillFigures } from './engine-bench';
import { seedDemoDb } from '../support/demo-db';
import { printPgImportBench } from './pg-import-bench';

function line(f: BackfillFigures, target: string): string {
  return [
    `${f.label}: ${f.dates} trading days x 5 portfolios (${f.portfolioDates} portfolio-dates), exit ${f.exitCode}`,
    `  wall ${(f.wallMs / 1000).toFixed(2)} s (${f.msPerDate.toFixed(1)} ms per date), peak RSS ${f.peakRssMb.toFixed(0)} MB`,
    `  rows written ${f.rowsWritten}; raw better-sqlite3 insert of the same rows ${(f.rawInsertMs / 1000).toFixed(2)} s; ratio ${f.ratioToRawInsert.toFixed(2)}x   [target ${target}]`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log(`batchdesk bench (clock pinned at ${BENCH_NOW}; node ${process.version}; ${process.platform}/${process.arch})`);
  const seeded = seedDemoDb(BENCH_NOW);
  const core = await benchDemoBackfill('demo backfill, phases market_data..sector_tags', { phases: PHASE_NAMES.filter((p) => p !== 'analytics') }, seeded);
  console.log(line(core, '<= 1.5 s'));
  const full = await benchDemoBackfill('demo backfill, all six phases', {}, seeded);
  console.log(line(full, '<= 10 s, ratio goal <= 3x, peak <= 500 MB'));
  const calc: number[] = [];
  for (let i = 0; i < 5; i++) calc.push(runCalcBench({ symbols: 1200 }));
  calc.sort((a, b) => a - b);
  console.log(`symbol betas (market, IR, ridge, spreads) for 1,200 symbols on one date: median ${calc[2]!.toFixed(0)} ms of 5   [target <= 1 s]`);
  await printPgImportBench();
}

await main();
