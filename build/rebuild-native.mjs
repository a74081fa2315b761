#!/usr/bin/env node
// Switches the native better-sqlite3 build between Node's ABI (CLI, tests, `serve`) and
// Electron's ABI (the desktop app), keeping a cached copy of each so that switching back is a
// file copy, not a compile.
//
//   node build/rebuild-native.mjs electron   # before `electron-builder` or running real Electron
//   node build/rebuild-native.mjs node       # afterwards: the CLI and `npm test` need Node's build
//   node build/rebuild-native.mjs status     # which build is in place
//
// Why: better-sqlite3 is compiled for one ABI. Node 20 is ABI 115; Electron 45 has its own.
// A module built for one fails to load in the other ("was compiled against a different
// Node.js version"). `npm run package` runs `electron`, packages with npmRebuild: false, then
// `node` again. The Electron build needs Electron's headers: the first run downloads them
// (network); later runs reuse ~/.electron-gyp. Do not run `electron-builder install-app-deps`
// instead: with this machine's ~/.npmrc (nodedir=/usr) it compiles against Node's headers and
// labels the result as Electron's (STACK.md section 9).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const moduleDir = dirname(require.resolve('better-sqlite3/package.json'));
const binary = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
const cacheDir = join(root, 'node_modules', '.cache', 'batchdesk-native');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const sqliteVersion = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')).version;
const cached = (target) => join(cacheDir, `better-sqlite3-${sqliteVersion}-${target === 'electron' ? `electron-${electronVersion}` : `node-abi${process.versions.modules}`}.node`);

function save(target) {
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(binary, cached(target));
}

/** Which ABI the installed binary loads in: this Node, or not (then it is Electron's). */
function installedTarget() {
  if (!existsSync(binary)) return 'missing';
  try {
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(binary)})`], { stdio: 'ignore' });
    return 'node';
  } catch {
    return 'electron';
  }
}

async function toElectron() {
  if (installedTarget() === 'node') save('node');
  if (existsSync(cached('electron'))) {
    copyFileSync(cached('electron'), binary);
    console.log(`better-sqlite3: Electron ${electronVersion} build restored from the cache`);
    return;
  }
  const { rebuild } = await import('@electron/rebuild');
  console.log(`better-sqlite3: compiling for Electron ${electronVersion} (downloads Electron's headers once)...`);
  // disturl/nodedir from ~/.npmrc would point node-gyp at Node's headers: override both.
  process.env.npm_config_nodedir = '';
  await rebuild({ buildPath: root, electronVersion, onlyModules: ['better-sqlite3'], force: true, headerURL: 'https://electronjs.org/headers' });
  save('electron');
  console.log('better-sqlite3: Electron build in place');
}

function toNode() {
  if (installedTarget() === 'node') {
    console.log('better-sqlite3: the Node build is already in place');
    return;
  }
  if (existsSync(cached('node'))) {
    copyFileSync(cached('node'), binary);
  } else {
    console.log('better-sqlite3: compiling for Node (no cached copy)...');
    execFileSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' });
  }
  if (installedTarget() !== 'node') throw new Error('better-sqlite3 still does not load in Node; run `npm rebuild better-sqlite3`');
  console.log('better-sqlite3: Node build in place');
}

const target = process.argv[2];
if (target === 'electron') await toElectron();
else if (target === 'node') toNode();
else if (target === 'status') console.log(`better-sqlite3 ${sqliteVersion}: ${installedTarget()} build in place (Electron ${electronVersion}, Node ABI ${process.versions.modules})`);
else {
  console.error('usage: node build/rebuild-native.mjs electron|node|status');
  process.exit(2);
}
