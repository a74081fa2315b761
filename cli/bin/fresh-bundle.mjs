// Whether the CLI bundle (build/bundle-cli.mjs) may run: it exists, and every project source it
// was built from still has the size and modification time it had then. An edited, moved or
// deleted source, or an unreadable list, means the TypeScript sources run instead.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The bundle's file and the list of the sources it was built from, in its folder (build/bundle-cli.mjs writes both). */
export const BUNDLE_NAME = 'batchdesk.mjs';
export const INPUTS_NAME = 'inputs.json';

/**
 * The bundle's path in `dir` (its file `name`) when it is up to date with its sources, else null.
 * The renderer build (build/vite.renderer.config.ts) writes the same list beside its index.html.
 */
export function freshBundle(dir, name = BUNDLE_NAME) {
  try {
    const { inputs } = JSON.parse(readFileSync(join(dir, INPUTS_NAME), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return null;
    for (const [path, size, mtimeMs] of inputs) {
      const s = statSync(join(dir, path));
      if (s.size !== size || s.mtimeMs !== mtimeMs) return null;
    }
    const bundle = join(dir, name);
    statSync(bundle);
    return bundle;
  } catch {
    return null;
  }
}
