// The CLI as one ES module (dist/cli/batchdesk.mjs), so that a command starts in about a fifth
// of the time: through tsx, Node 20 resolves and transforms some 340 TypeScript modules on
// every start. `npm ci` builds it (build/prepare.mjs); `cli/bin/batchdesk.mjs` runs it while
// no source it was built from has changed since (dist/cli/inputs.json lists them with their
// sizes and modification times), and the TypeScript sources through tsx otherwise.
//
// Packages stay in node_modules (better-sqlite3 is native). A module that finds a file next to
// itself (migrations, worker entry files, package.json, the renderer) reads `import.meta.url`:
// in the bundle, each such read is the URL of its own source file, so those paths stay right.
//
//   node build/bundle-cli.mjs [OUT_DIR]      (default dist/cli)
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_NAME, INPUTS_NAME } from '../cli/bin/fresh-bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** A path inside an installed package, not a project source. */
const inPackage = (path) => path.split(/[\\/]/).includes('node_modules');

/** esbuild as tsx (a dependency) brings it. */
async function loadEsbuild() {
  const fromTsx = createRequire(createRequire(join(root, 'package.json')).resolve('tsx/package.json'));
  return import(fromTsx.resolve('esbuild'));
}

/** Each `import.meta.url` of a project source becomes its own file's URL, relative to the bundle. */
function ownUrlPlugin(outDir) {
  return {
    name: 'batchdesk-own-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (inPackage(args.path)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const own = relative(outDir, args.path).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

export async function bundleCli(outDir = join(root, 'dist', 'cli')) {
  const { build } = await loadEsbuild();
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'cli', 'run-from-process.ts')],
    outfile: join(outDir, BUNDLE_NAME),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownUrlPlugin(outDir)],
  });
  // Every project file the bundle holds, with what tells a later edit: size and modification time.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !inPackage(p))
    .sort()
    .map((p) => {
      const s = statSync(join(root, p));
      return [relative(outDir, join(root, p)).split('\\').join('/'), s.size, s.mtimeMs];
    });
  writeFileSync(join(outDir, INPUTS_NAME), `${JSON.stringify({ inputs })}\n`);
  return { outDir, inputs: inputs.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await bundleCli(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`bundle-cli: ${r.inputs} modules bundled into ${relative(root, join(r.outDir, BUNDLE_NAME))}`);
}
