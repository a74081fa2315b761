/**
 * The desktop build runs in the test command without the Electron binary (issue 8
 * acceptance): electron-vite builds main, the CommonJS preload, the engine worker and the
 * renderer into a temporary folder; the bundle's shape is checked, and the bundled worker is
 * started in plain Node and runs a short demo backfill (the run worker starts from the same
 * bundle). Packaging settings that protect the Node build of better-sqlite3 are checked too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineWorkerClient } from '../../host/engine-worker-client';
import { SHORT_NOW } from '../support/app/demo-fixture';
import { seedDemoDb } from '../support/demo-db';
import { tempDir } from '../support/cli';

const root = resolve(import.meta.dirname, '../..');
const out = tempDir('batchdesk-electron-out-');
let build: { status: number | null; output: string };

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--config', 'build/electron.vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    // vitest sets NODE_ENV=test; the app is built for production as `npm run build:electron` does.
    env: { ...process.env, NODE_ENV: 'production', BATCHDESK_ELECTRON_OUT: out, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    encoding: 'utf8',
  });
  build = { status: r.status, output: `${r.stdout}\n${r.stderr}` };
  // The bundle keeps its dependencies external, as in the app: let it resolve them from here.
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');
}, 180_000);

const workerChunk = () => readdirSync(join(out, 'main/chunks')).find((f) => /^engine-worker.*\.js$/.test(f));

describe('electron-vite build (no Electron binary)', () => {
  it('builds main, preload, worker and renderer', () => {
    expect(build.output).not.toMatch(/error/i);
    expect(build.status).toBe(0);
    expect(existsSync(join(out, 'main/index.js'))).toBe(true);
    expect(workerChunk()).toBeDefined();
    expect(existsSync(join(out, 'preload/index.cjs'))).toBe(true);
    expect(existsSync(join(out, 'renderer/index.html'))).toBe(true);
  });

  it('main is a thin broker: it imports electron, never better-sqlite3, and points at the bundled worker', () => {
    const main = readFileSync(join(out, 'main/index.js'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    expect(main).not.toMatch(/better-sqlite3/);
    expect(main).toContain(workerChunk()!);
  });

  it('the preload is CommonJS and requires nothing but electron (a sandboxed renderer needs that)', () => {
    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).not.toMatch(/\bexport\s/);
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('the worker finds its migrations and the app version where the bundle looks for them', () => {
    expect(existsSync(join(out, 'main/chunks/migrations/0000_init.sql'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'main/package.json'), 'utf8')).version).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });

  it('the renderer page carries the strict CSP and relative asset paths, and React is the production build', () => {
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
    expect(html).toContain("script-src 'self'");
    expect(html).toMatch(/src="\.\/assets\//);
    const js = readdirSync(join(out, 'renderer/assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, 'renderer/assets', f), 'utf8')).join('\n');
    expect(js).not.toContain('jsxDEV');
  });

  it('the bundled engine worker runs in plain Node: commands, and a backfill in a run worker from the same bundle', { timeout: 120_000 }, async () => {
    const dbPath = seedDemoDb(SHORT_NOW);
    process.env['BATCHDESK_NOW'] = SHORT_NOW;
    const faults: string[] = [];
    const client = new EngineWorkerClient({ workerPath: join(out, 'main/chunks', workerChunk()!), options: { dbPath, holder: 'app' }, onFault: (m) => faults.push(m), maxRestarts: 0 });
    try {
      await client.start();
      const p = await client.call('listPortfolios', {});
      expect(p.ok).toBe(true);
      let dates = 0;
      client.onEvent((e) => {
        if (e.event === 'date_result') dates++;
      });
      expect((await client.call('startRun', {})).ok).toBe(true);
      let state = 'running';
      while (state === 'running') {
        await new Promise((r) => setTimeout(r, 50));
        const s = await client.call('getRunStatus', {});
        state = s.ok ? (s.output as { state: string }).state : 'error';
      }
      expect(state).toBe('completed');
      expect(dates).toBe(11);
      expect(faults).toEqual([]);
    } finally {
      await client.stop();
      delete process.env['BATCHDESK_NOW'];
    }
  });
});

describe('packaging settings (build/electron-builder.yml)', () => {
  const yml = readFileSync(join(root, 'build/electron-builder.yml'), 'utf8');
  it('never rebuilds native modules while packaging, unpacks better-sqlite3 and ships the migrations', () => {
    expect(yml).toMatch(/^npmRebuild: false$/m);
    expect(yml).toMatch(/^nodeGypRebuild: false$/m);
    expect(yml).toMatch(/asarUnpack:\n\s+- "\*\*\/node_modules\/better-sqlite3\/\*\*"/);
    expect(yml).toMatch(/extraResources:\n\s+- from: db\/migrations\n\s+to: migrations/);
    expect(yml).toMatch(/main: out\/main\/index\.js/);
  });

  it('the native rebuild script reports which better-sqlite3 build is in place', () => {
    const r = spawnSync(process.execPath, [join(root, 'build/rebuild-native.mjs'), 'status'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/node build in place/);
  });
});
