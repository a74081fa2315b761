import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Removes each file's scratch folders (test/support/temp-dirs.ts) when the file ends.
    setupFiles: ['test/support/vitest-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Spawned CLI processes and real PostgreSQL/Chromium make some files heavy; two cores.
    maxWorkers: 2,
  },
});
