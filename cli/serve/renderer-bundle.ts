/**
 * Where `serve` finds the built renderer, and the first-serve build (SPEC.md m.19): `npm ci`
 * builds it in the `prepare` step; if it is missing anyway (a checkout without the prepare
 * step), or older than its sources (the build's inputs.json lists them with their sizes and
 * modification times, as the CLI bundle's does), `serve` builds it with Vite before listening.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchdeskError } from '../../core/api/errors';
import { freshBundle } from '../bin/fresh-bundle.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');
export const RENDERER_CONFIG = join(REPO_ROOT, 'build', 'vite.renderer.config.ts');

export function rendererBuilt(dir = RENDERER_DIST): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** Builds the renderer into dist/renderer with Vite; throws a data error when the build fails. */
export function buildRenderer(log: (line: string) => void, why = 'first serve'): void {
  const require = createRequire(import.meta.url);
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  log(`Building the renderer (${why})...`);
  const r = spawnSync(process.execPath, [viteBin, 'build', '--config', RENDERER_CONFIG, '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0 || !rendererBuilt()) throw new BatchdeskError('data', `the renderer build failed: ${(r.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`);
}

/** Whether the built renderer in `dir` was built from the sources as they are now. */
export function rendererFresh(dir = RENDERER_DIST): boolean {
  return freshBundle(dir, 'index.html') !== null;
}

export function ensureRenderer(log: (line: string) => void): string {
  if (!rendererBuilt()) buildRenderer(log);
  else if (!rendererFresh()) buildRenderer(log, 'its sources changed since it was built');
  return RENDERER_DIST;
}
