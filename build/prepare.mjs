// npm `prepare` (runs after `npm ci` / `npm install`): bundles the CLI into dist/cli, so that a
// command starts without transforming its TypeScript modules (build/bundle-cli.mjs), and builds
// the renderer into dist/renderer, so that `npx batchdesk serve` works right after installing
// (SPEC.md m.19). Without the dev dependencies (a production install) there is no Vite: `serve`
// then reports that the renderer must be built. A failed build does not fail the install: the
// CLI runs its sources through tsx, and `serve` tries the renderer build again on first start.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

try {
  const { bundleCli } = await import('./bundle-cli.mjs');
  const r = await bundleCli();
  console.log(`prepare: CLI bundled into dist/cli (${r.inputs} modules)`);
} catch (err) {
  console.warn(`prepare: the CLI bundle failed (${err instanceof Error ? err.message : err}); the CLI runs its TypeScript sources`);
}

let viteBin;
try {
  viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  console.log('prepare: vite is not installed (production install); skipping the renderer build');
  process.exit(0);
}
if (!existsSync(join(root, 'build', 'vite.renderer.config.ts'))) process.exit(0);
const r = spawnSync(process.execPath, [viteBin, 'build', '--config', 'build/vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
if (r.status === 0) console.log('prepare: renderer built into dist/renderer');
else console.warn(`prepare: the renderer build failed (exit ${r.status}); \`batchdesk serve\` will try again on first start`);
