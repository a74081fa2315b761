/**
 * The renderer build for browser mode (`serve`, E2E): renderer/ -> dist/renderer with relative
 * asset paths. The desktop app builds the same renderer through electron.vite.config.ts.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export const rendererConfig = {
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react()],
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
