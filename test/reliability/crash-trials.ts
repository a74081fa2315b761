/**
 * `npm run reliability`: the long mode of the reliability suite and its figures.
 *   1. N SIGKILL trials (default 20) of crash-harness.ts; prints `N/N consistent`.
 *   2. The provider-fault backfill of provider-fault-backfill.ts with every phase (the suite
 *      runs it with the phases that meet the provider): a one-year online backfill of the demo
 *      against the Yahoo mock with seeded faults on half the requests; prints the faults
 *      injected, the symbol-dates affected and coded, and the stored closes lost (must be 0).
 * `--trials N` changes the trial count; `--skip-provider-faults` runs the trials only.
 */
import { tempDir } from '../support/cli';
import { startYahooMock } from '../support/yahoo-mock/yahoo-mock-server';
import { prepareCrashFixture, runCrashTrial } from './crash-harness';
import { providerFaultBackfill } from './provider-fault-backfill';

const arg = process.argv.indexOf('--trials');
const n = (arg >= 0 ? Number(process.argv[arg + 1]) : 20) || 20;
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
let failed = ok !== n;

if (!process.argv.includes('--skip-provider-faults')) {
  const mock = await startYahooMock({ symbols: { AAPL: {} } });
  try {
    const r = await providerFaultBackfill(mock, { dir: tempDir('batchdesk-provider-faults-'), seed: 9, faultRate: 0.5, phases: [] });
    const injected = Object.entries(r.injected)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const reasons = Object.entries(r.reasons)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(`provider faults: ${r.datesProcessed} dates, every phase, exit ${r.exitCode}, ${r.requests} requests, injected ${injected}`);
    console.log(`provider faults: ${r.affected} needed symbol-dates without a close, ${r.affected - r.uncoded.length} with a reason code (${reasons}), ${r.uncoded.length} without`);
    console.log(`provider faults: ${r.storedBefore} closes stored before, ${r.lost.length} lost, ${r.changed.length} changed  (${r.seconds.toFixed(0)} s)`);
    if (r.uncoded.length > 0 || r.lost.length > 0 || r.changed.length > 0 || (r.exitCode !== 0 && r.exitCode !== 1)) failed = true;
  } finally {
    await mock.close();
  }
}
process.exitCode = failed ? 1 : 0;
