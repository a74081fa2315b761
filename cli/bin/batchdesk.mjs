#!/usr/bin/env node
// `npx batchdesk <command>`: runs the TypeScript CLI through tsx (plain Node 20, no build step).
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../run-from-process.ts');
await runFromProcess(process.argv.slice(2));
