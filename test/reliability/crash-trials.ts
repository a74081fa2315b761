/** `npm run reliability`: N SIGKILL trials (default 20) and their figures. */
import { prepareCrashFixture, runCrashTrial } from './crash-harness';

const n = Number(process.argv[process.argv.indexOf('--trials') + 1] ?? 20) || 20;
const fixture = prepareCrashFixture();
let ok = 0;
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const r = await runCrashTrial(fixture, 1000 + i);
  if (r.consistent) ok++;
  console.log(
    `trial ${i + 1}/${n} seed ${r.seed}: killed after ${r.killedAfterDates} dates (+${r.killDelayMs} ms), integrity ${r.integrity}, partial ${r.partialPortfolioDates.length}, lock left ${r.lockLeft}, restart exit ${r.restartExit}, differences ${r.differences.length}${r.consistent ? '' : `  INCONSISTENT ${[...r.partialPortfolioDates, ...r.differences].slice(0, 5).join('; ')}`}`,
  );
}
console.log(`${ok}/${n} consistent  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
process.exitCode = ok === n ? 0 : 1;
