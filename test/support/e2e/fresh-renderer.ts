/**
 * The E2E suite serves dist/renderer. `npm ci` builds it (prepare) and the test command builds
 * it when missing; this rebuilds it when any renderer or contract source is newer, so a stale
 * bundle never tests old code. NODE_ENV is forced to production: vitest sets it to `test`,
 * which would give Vite's build React's development runtime.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './serve-process';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** A bundle built with NODE_ENV other than production carries React's development runtime. */
function developmentBuild(): boolean {
  const assets = join(REPO_ROOT, 'dist/renderer/assets');
  return existsSync(assets) && readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('jsxDEV'));
}

export function ensureFreshRenderer(): void {
  const index = join(REPO_ROOT, 'dist/renderer/index.html');
  const sources = Math.max(newest(join(REPO_ROOT, 'renderer')), newest(join(REPO_ROOT, 'core/api')), newest(join(REPO_ROOT, 'core/domain')), statSync(join(REPO_ROOT, 'build/vite.renderer.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources && !developmentBuild()) return;
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'build/vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`renderer build failed: ${r.stderr}`);
}
