/** Every layer type-checks with its own tsconfig (core: no DOM, no Node types). */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { PROJECTS, typecheck } from '../../build/typecheck.mjs';

describe('type checking per layer', () => {
  for (const project of PROJECTS as string[]) {
    // Generous: on a loaded 2-core machine the test project alone has taken 4 minutes.
    it(`${project} has no type errors`, { timeout: 600_000 }, async () => {
      const r = (await typecheck(project)) as { code: number; out: string };
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
    });
  }
});
