// Type-checks every layer with its own tsconfig (core has no DOM or Node types).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';

const hasSources = (dir) => readdirSync(dir, { recursive: true }).some((f) => /\.tsx?$/.test(String(f)));

/** Layer projects; a layer folder without sources yet has nothing to check. */
export const PROJECTS = ['core/tsconfig.json', 'tsconfig.node.json', 'renderer/tsconfig.json', 'electron/tsconfig.json', 'test/tsconfig.json'].filter(
  (p) => p === 'tsconfig.node.json' || hasSources(dirname(p)),
);

export function typecheck(project) {
  return new Promise((resolveResult) => {
    const child = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, '--pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolveResult({ project, code, out }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await Promise.all(PROJECTS.map(typecheck));
  let failed = 0;
  for (const r of results) {
    console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.project}`);
    if (r.code !== 0) {
      failed++;
      console.log(r.out);
    }
  }
  process.exit(failed ? 1 : 0);
}
