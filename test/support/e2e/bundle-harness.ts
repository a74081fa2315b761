/**
 * Bundles a browser entry of the tests (a harness that draws one renderer part with the app's
 * own modules) into one script for `page.addScriptTag`, with Vite as the renderer is built.
 */
import { build, type Rolldown } from 'vite';
import { REPO_ROOT } from './serve-process';

export async function bundleHarness(entry: string): Promise<string> {
  const out = await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    mode: 'production',
    // Library mode leaves process.env.NODE_ENV in (echarts reads it); a page has no `process`.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { write: false, target: 'es2022', minify: false, lib: { entry, formats: ['iife'], name: 'harness', fileName: 'harness' } },
  });
  const results = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[];
  const chunk = results.flatMap((r) => r.output).find((o): o is Rolldown.OutputChunk => o.type === 'chunk');
  if (!chunk) throw new Error(`bundling ${entry} gave no script`);
  return chunk.code;
}
