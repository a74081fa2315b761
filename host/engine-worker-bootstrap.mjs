// Starts the TypeScript engine worker in plain Node 20 (after `npm ci`, no build step): tsx's
// loader is registered in this worker thread, then the worker module is imported. The
// Electron app does not use this file: electron-vite bundles engine-worker.ts instead.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
