/**
 * The desktop build (electron-vite, no Electron binary needed): main (ESM) with the engine
 * worker bundled from host/engine-worker.ts through `?modulePath`, the preload as CommonJS
 * (a sandboxed renderer requires it, SPEC.md m.20), and the renderer. Dependencies of main
 * and the worker stay external (better-sqlite3 is native; drizzle, zod and yahoo-finance2
 * load from node_modules).
 *
 * Two files are found relative to the module that reads them (import.meta.url), which is
 * the worker chunk out/main/chunks/engine-worker-*.js once bundled: db/open-database.ts reads
 * ./migrations and host/app-version.ts reads ../package.json. The build puts a copy of the
 * migrations in out/main/chunks/migrations and a package.json with the version in out/main.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const outRoot = process.env['BATCHDESK_ELECTRON_OUT'] ? resolve(process.env['BATCHDESK_ELECTRON_OUT']) : resolve(root, 'out');

function workerResources(mainOut: string): Plugin {
  return {
    name: 'batchdesk-worker-resources',
    apply: 'build',
    closeBundle() {
      cpSync(resolve(root, 'db/migrations'), resolve(mainOut, 'chunks/migrations'), { recursive: true });
      const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { name: string; version: string };
      writeFileSync(resolve(mainOut, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true }, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  main: {
    root,
    plugins: [workerResources(resolve(outRoot, 'main'))],
    build: {
      outDir: resolve(outRoot, 'main'),
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    root,
    build: {
      outDir: resolve(outRoot, 'preload'),
      // Bundle everything: a sandboxed preload can only require('electron').
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(outRoot, 'renderer'),
      minify: true,
      target: 'es2022',
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
