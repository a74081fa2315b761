#!/usr/bin/env node
// `npx batchdesk <command>`: runs the CLI bundle that `npm ci` builds (dist/cli, see
// build/bundle-cli.mjs) while it is up to date with the sources, else the TypeScript sources
// through tsx (plain Node 20, no build step). BATCHDESK_NO_BUNDLE=1 always runs the sources.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from './fresh-bundle.mjs';

const bundle = process.env.BATCHDESK_NO_BUNDLE === '1' ? null : freshBundle(fileURLToPath(new URL('../../dist/cli/', import.meta.url)));
let runFromProcess;
if (bundle) ({ runFromProcess } = await import(pathToFileURL(bundle).href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runFromProcess } = await import('../run-from-process.ts'));
}
await runFromProcess(process.argv.slice(2));
