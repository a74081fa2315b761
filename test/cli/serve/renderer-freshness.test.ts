/**
 * `serve` builds the renderer again when a source changed since its build (the tester served a
 * bundle hours older than the sources): the build lists every project file it holds, with size
 * and modification time, in inputs.json (build/vite.renderer.config.ts), and rendererFresh
 * checks them (the CLI bundle's rule, cli/bin/fresh-bundle.mjs). The build here goes to a
 * temporary folder; no source is touched (other tests serve the real bundle meanwhile).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rendererFresh } from '../../../cli/serve/renderer-bundle';
import { REPO_ROOT, tempDir } from '../../support/cli';

type Inputs = { inputs: [string, number, number][] };

describe('renderer freshness (serve)', () => {
  const out = join(tempDir('batchdesk-renderer-build-'), 'renderer');
  let recorded: Inputs;

  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'build/vite.renderer.config.ts', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    expect(r.status, r.stderr).toBe(0);
    recorded = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as Inputs;
  }, 120_000);

  const withInputs = (inputs: Inputs['inputs'], check: () => void) => {
    writeFileSync(join(out, 'inputs.json'), JSON.stringify({ inputs }));
    try {
      check();
    } finally {
      writeFileSync(join(out, 'inputs.json'), JSON.stringify(recorded));
    }
  };

  it('lists the renderer, its stylesheet and page, and the contract modules it imports', () => {
    // Paths are relative to the build folder (here a temporary one): compare them from the repository.
    const paths = recorded.inputs.map(([p]) => relative(REPO_ROOT, resolve(out, p)).split(sep).join('/'));
    expect(paths).toEqual(expect.arrayContaining(['renderer/index.html', 'renderer/styles.css', 'renderer/main.tsx', 'core/api/contract.ts']));
    expect(paths.some((p) => p.includes('node_modules'))).toBe(false);
    expect(rendererFresh(out)).toBe(true);
  });

  it('is stale once a listed source has another modification time or size, or is gone', () => {
    const at = recorded.inputs.findIndex(([p]) => p.endsWith('renderer/styles.css'));
    const edited = (f: (e: [string, number, number]) => [string, number, number]) => recorded.inputs.map((e, i) => (i === at ? f(e) : e));
    withInputs(edited(([p, size, mtime]) => [p, size, mtime - 1000]), () => expect(rendererFresh(out)).toBe(false));
    withInputs(edited(([p, size, mtime]) => [p, size + 1, mtime]), () => expect(rendererFresh(out)).toBe(false));
    withInputs(edited(([p, size, mtime]) => [p.replace('styles.css', 'gone.css'), size, mtime]), () => expect(rendererFresh(out)).toBe(false));
    withInputs([], () => expect(rendererFresh(out)).toBe(false));
    expect(rendererFresh(out)).toBe(true);
  });
});
