/**
 * The renderer build for browser mode (`serve`, E2E): renderer/ -> dist/renderer with relative
 * asset paths. The desktop app builds the same renderer through electron.vite.config.ts.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * Writes `inputs.json` beside the built index.html: every project file of the build with its
 * size and modification time, in the CLI bundle's format (cli/bin/fresh-bundle.mjs), so that
 * `serve` can tell a build older than the sources and build again (cli/serve/renderer-bundle.ts).
 */
function recordInputs(): Plugin {
  let outDir = '';
  return {
    name: 'batchdesk-record-inputs',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      const files = [...this.getModuleIds()].filter((id) => id.startsWith(root + sep) && !id.includes(`${sep}node_modules${sep}`) && existsSync(id));
      const inputs = [...new Set([...files, resolve(root, 'renderer', 'index.html')])].sort().map((f) => {
        const s = statSync(f);
        return [relative(outDir, f).split(sep).join('/'), s.size, s.mtimeMs];
      });
      writeFileSync(resolve(outDir, 'inputs.json'), `${JSON.stringify({ inputs })}\n`);
    },
  };
}

export const rendererConfig = {
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react(), recordInputs()],
  build: {
    outDir: resolve(root, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // echarts in its own chunk: the app shell paints before the chart library has loaded.
        manualChunks: (id: string) => (id.includes('node_modules/echarts') || id.includes('node_modules/zrender') ? 'charts' : undefined),
      },
    },
  },
};

export default defineConfig(rendererConfig);
