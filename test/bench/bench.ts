/**
 * `npm run bench`: prints the speed and memory figures the issues set targets for. Figures,
 * not assertions: the unit tests never time anything.
 *
 * Each kind of backfill runs in three fresh processes, one after the other, several times in
 * each (backfill-runs.ts), on copies of one seeded file: a process's first run is cold (it pays
 * for the JIT warm-up, as a one-off CLI run does) and gives the peak memory of one backfill; its
 * later runs are warm. The medians and spreads of the cold and of the warm runs are printed,
 * because the wall time of a single run swings by ±30% on a shared 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCalcBench } from './calc-bench';
import { BENCH_NOW, type BackfillFigures } from './engine-bench';
import { seedDemoDb } from '../support/demo-db';
import { printPgImportBench } from './pg-import-bench';
import { printCsvImportBench } from './csv-import-bench';
import { freshBundle } from '../../cli/bin/fresh-bundle.mjs';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (x: number) => x.toFixed(0);

function report(processes: readonly (readonly BackfillFigures[])[], target: string): string {
  const runs = processes.flat();
  const colds = processes.map((p) => p[0]!);
  const warm = processes.flatMap((p) => p.slice(1));
  const f = colds[0]!;
  const coldWall = colds.map((r) => r.wallMs);
  const warmWall = warm.map((r) => r.wallMs);
  const coldMedian = median(coldWall);
  const warmMedian = median(warmWall);
  const raw = median(runs.map((r) => r.rawInsertMs));
  const range = (xs: readonly number[]) => `min ${sec(Math.min(...xs))}, max ${sec(Math.max(...xs))}`;
  return [
    `${f.label}: ${f.dates} trading days x 5 portfolios (${f.portfolioDates} portfolio-dates), exit ${runs.map((r) => r.exitCode).join('/')}`,
    `  wall: cold median ${sec(coldMedian)} of ${colds.length} fresh processes (${range(coldWall)}); warm median ${sec(warmMedian)} of ${warm.length} (${range(warmWall)}); ${(warmMedian / f.dates).toFixed(1)} ms per date warm`,
    `  post-run guard over the backfilled dates (run after a backfill unless --no-guard; not in the wall time above): median ${sec(median(runs.map((r) => r.guardMs)))}`,
    `  where the warm time went (median of each part): ${Object.keys(f.split)
      .map((k) => `${k} ${sec(median(warm.map((r) => r.split[k] ?? 0)))}`)
      .join(', ')}`,
    `  peak RSS ${mb(median(colds.map((r) => r.peakRssMb)))} MB (median of the cold runs, each in a fresh process; max ${mb(Math.max(...colds.map((r) => r.peakRssMb)))} MB); rows written ${f.rowsWritten}; raw better-sqlite3 insert of the same rows ${sec(raw)} (median); ratio ${(warmMedian / raw).toFixed(2)}x warm, ${(coldMedian / raw).toFixed(2)}x cold   [target ${target}]`,
  ].join('\n');
}

/** Runs `runs` backfills in each of `processes` fresh processes, one after the other. */
function backfillRuns(kind: 'core' | 'full', runs: number, processes: number, seeded: string): BackfillFigures[][] {
  const script = fileURLToPath(new URL('./backfill-runs.ts', import.meta.url));
  return Array.from({ length: processes }, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, kind, String(runs), seeded], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(out.trim().split('\n').pop()!) as BackfillFigures[];
  });
}

/** Wall time of `batchdesk --version` in a fresh process, median of 5: through the CLI bundle (when built and fresh) and through tsx. */
function cliStart(): string {
  const bin = fileURLToPath(new URL('../../cli/bin/batchdesk.mjs', import.meta.url));
  const time = (env: Record<string, string>) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, [bin, '--version'], { stdio: 'ignore', env: { ...process.env, ...env } });
      runs.push(performance.now() - t0);
    }
    return sec(median(runs));
  };
  const bundled = freshBundle(fileURLToPath(new URL('../../dist/cli/', import.meta.url))) !== null;
  return `CLI start (\`batchdesk --version\`, fresh process): ${bundled ? `bundle ${time({})}` : 'no up-to-date bundle (node build/bundle-cli.mjs builds it)'}, TypeScript sources through tsx ${time({ BATCHDESK_NO_BUNDLE: '1' })} (median of 5)`;
}

async function main(): Promise<void> {
  console.log(`batchdesk bench (clock pinned at ${BENCH_NOW}; node ${process.version}; ${process.platform}/${process.arch})`);
  const seeded = seedDemoDb(BENCH_NOW);
  const core = backfillRuns('core', 4, 3, seeded);
  console.log(report(core, '<= 1.5 s'));
  const full = backfillRuns('full', 2, 3, seeded);
  console.log(report(full, '<= 10 s, ratio goal <= 3x, peak <= 500 MB'));
  const calc: number[] = [];
  for (let i = 0; i < 5; i++) calc.push(runCalcBench({ symbols: 1200 }));
  console.log(`symbol betas (market, IR, ridge, spreads) for 1,200 symbols on one date: median ${median(calc).toFixed(0)} ms of 5   [target <= 1 s]`);
  console.log(cliStart());
  await printPgImportBench();
  await printCsvImportBench(seeded);
}

await main();
