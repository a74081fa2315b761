// Starts the dump reader thread (dump-read-worker.ts) in plain Node 20: tsx's loader is
// registered in this worker thread, then the TypeScript module is imported. Where this file
// or tsx is missing (a bundled build), the import reads in its own thread instead.
import { register } from 'tsx/esm/api';

register();
await import('./dump-read-worker.ts');
