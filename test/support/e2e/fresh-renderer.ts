/**
 * The E2E suite serves dist/renderer. `npm ci` builds it (prepare) and the test command builds
 * it when missing; this rebuilds it when it is not fresh (cli/serve/renderer-bundle.ts: a
 * source it was built from changed), so a stale bundle never tests old code. NODE_ENV is forced
 * to production: vitest sets it to `test`, which would give Vite's build React's development runtime.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rendererFresh } from '../../../cli/serve/renderer-bundle';
import { REPO_ROOT } from './serve-process';

/** A bundle built with NODE_ENV other than production carries React's development runtime. */
function developmentBuild(): boolean {
  const assets = join(REPO_ROOT, 'dist/renderer/assets');
  return existsSync(assets) && readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('jsxDEV'));
}

export function ensureFreshRenderer(): void {
  if (rendererFresh() && !developmentBuild()) return;
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'build/vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`renderer build failed: ${r.stderr}`);
}
