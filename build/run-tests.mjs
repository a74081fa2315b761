// The test command (README: `npm test`). Makes sure the renderer bundle exists (browser-mode
// and E2E tests serve it), runs the whole vitest suite once with the JSON reporter, and ends
// with the line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const extraArgs = process.argv.slice(2);
if (existsSync('build/vite.renderer.config.ts') && !existsSync('dist/renderer/index.html')) {
  const b = spawnSync('npm', ['run', '-s', 'build:renderer'], { stdio: 'inherit' });
  if (b.status !== 0) console.error('renderer build failed; browser-mode tests will fail');
}

const dir = mkdtempSync(join(tmpdir(), 'batchdesk-vitest-'));
const report = join(dir, 'vitest.json');
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs],
  { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  // A file that fails to load has no test results but must still count as a failure.
  for (const file of r.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
  }
} else {
  failed = 1;
  console.error(`vitest produced no report (exit ${run.status})`);
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
