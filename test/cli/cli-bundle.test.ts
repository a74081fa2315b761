/**
 * The CLI bundle (build/bundle-cli.mjs, built by `npm ci`'s prepare step) and how the package
 * bin chooses it (cli/bin/fresh-bundle.mjs):
 * - the bundle does what the TypeScript sources do: the same output for --version and --help,
 *   the same rows for a seed and a backfill, and a dump import (its migrations and its reader
 *   thread are found next to their own sources);
 * - it runs only while every source it was built from is unchanged: an edited, deleted or
 *   moved source, or a missing list, sends the bin to the sources;
 * - BATCHDESK_NO_BUNDLE=1 runs the sources through tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module of the build, without types
import { bundleCli } from '../../build/bundle-cli.mjs';
import { freshBundle } from '../../cli/bin/fresh-bundle.mjs';
import { BIN, REPO_ROOT, runCliProcess, tempDir } from '../support/cli';
import { COMMITTED } from '../support/pg-fixtures';
import { checksumsOf, rowCountsOf } from '../support/safeguards';

const ENV = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };
// Inside the repo, so that the bundle's packages resolve from its node_modules as dist/cli's do.
const outDir = join(REPO_ROOT, 'dist', `cli-test-${process.pid}`);
let bundle: string;

beforeAll(async () => {
  await bundleCli(outDir);
  bundle = freshBundle(outDir) as string;
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The bundle at `outDir` run as the bin runs it. */
function runBundle(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const script = `const { runFromProcess } = await import(${JSON.stringify(pathToFileURL(bundle).href)}); await runFromProcess(process.argv.slice(1));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...ENV }, encoding: 'latin1', timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The TypeScript sources through the bin. */
const runSources = (args: readonly string[]) => runCliProcess(args, { ...ENV, BATCHDESK_NO_BUNDLE: '1' });

describe('the CLI bundle', () => {
  it('is built from the project sources, every one listed with its size and time', () => {
    expect(bundle).toBe(join(outDir, 'batchdesk.mjs'));
    const { inputs } = JSON.parse(readFileSync(join(outDir, 'inputs.json'), 'utf8')) as { inputs: [string, number, number][] };
    const paths = inputs.map(([p]) => p);
    expect(paths).toContain('../../cli/main.ts');
    expect(paths).toContain('../../core/engine/run-engine.ts');
    expect(paths.some((p) => p.includes('node_modules'))).toBe(false);
    const [path, size, mtime] = inputs[0]!;
    const s = statSync(join(outDir, path));
    expect([s.size, s.mtimeMs]).toEqual([size, mtime]);
  });

  it('prints what the sources print: --version, --help', () => {
    for (const args of [['--version'], ['--help'], ['run', '--help']]) {
      const a = runBundle(args);
      const b = runSources(args);
      expect(a.code, a.stderr).toBe(0);
      expect([a.code, a.stdout, a.stderr]).toEqual([b.code, b.stdout, b.stderr]);
    }
  }, 120_000);

  it('seeds, backfills and imports as the sources do (migrations and the dump reader found next to their sources)', () => {
    const dir = tempDir('batchdesk-bundle-');
    const [viaBundle, viaSources] = [join(dir, 'bundle.sqlite'), join(dir, 'sources.sqlite')];
    for (const [run, db] of [
      [runBundle, viaBundle],
      [runSources, viaSources],
    ] as const) {
      expect(run(['seed-demo', '--db', db, '--quiet']).code).toBe(0);
      const r = run(['run', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-03', '--quiet', '--no-guard']);
      expect(r.code, r.stderr).toBe(0);
    }
    const derived = ['position_marks', 'portfolio_snapshots', 'factor_exposures', 'stress_test_results', 'position_volatility', 'pairwise_correlations'];
    expect(checksumsOf(viaBundle, derived)).toEqual(checksumsOf(viaSources, derived));
    expect(rowCountsOf(viaBundle)['portfolio_snapshots']).toBe(15);

    const imported = join(dir, 'imported.sqlite');
    const r = runBundle(['import', join(COMMITTED, 'reference.dump'), '--db', imported, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).report.tables.length).toBeGreaterThan(5);
    expect(rowCountsOf(imported)['market_data_cache']).toBeGreaterThan(0);
  }, 300_000);
});

describe('the bin runs the bundle only while its sources are unchanged', () => {
  it('an edited, missing or unlisted source sends it to the sources', () => {
    expect(freshBundle(outDir)).toBe(bundle);
    const list = join(outDir, 'inputs.json');
    const original = readFileSync(list, 'utf8');
    const { inputs } = JSON.parse(original) as { inputs: [string, number, number][] };
    try {
      // A source edited since the build, to the same size.
      const [path, size, mtime] = inputs[0]!;
      writeFileSync(list, JSON.stringify({ inputs: [[path, size, mtime - 1000], ...inputs.slice(1)] }));
      expect(freshBundle(outDir)).toBeNull();
      // A source of another size.
      writeFileSync(list, JSON.stringify({ inputs: [[path, size + 1, mtime], ...inputs.slice(1)] }));
      expect(freshBundle(outDir)).toBeNull();
      // A source that is gone.
      writeFileSync(list, JSON.stringify({ inputs: [['../../cli/no-such-file.ts', 1, 1], ...inputs] }));
      expect(freshBundle(outDir)).toBeNull();
      // No list, or an empty one.
      writeFileSync(list, JSON.stringify({ inputs: [] }));
      expect(freshBundle(outDir)).toBeNull();
      rmSync(list);
      expect(freshBundle(outDir)).toBeNull();
    } finally {
      writeFileSync(list, original);
    }
    expect(freshBundle(outDir)).toBe(bundle);
    expect(existsSync(bundle)).toBe(true);
  });

  it('BATCHDESK_NO_BUNDLE=1 runs the sources through tsx', () => {
    const r = spawnSync(process.execPath, [BIN, '--version'], { cwd: REPO_ROOT, env: { ...process.env, BATCHDESK_NO_BUNDLE: '1' }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
