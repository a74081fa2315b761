/**
 * `batchdesk serve`: the renderer and the command contract over loopback HTTP (SPEC.md k.2,
 * m.19). The engine runs in a worker thread (the same module the desktop app starts). The
 * first stdout line is the URL to open, with the access token in the fragment.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { BatchdeskError } from '../../core/api/errors';
import { openStore } from '../../host/engine-host';
import { EngineWorkerClient } from '../../host/engine-worker-client';
import { stringFlag } from '../args';
import { shellWord } from '../../core/api/shell-word';
import type { CommandSpec } from '../command';
import { ensureRenderer } from '../serve/renderer-bundle';
import { startServeServer } from '../serve/serve-server';
import { readNumberFlag, type NumberFlag } from '../number-flag';

/** A TCP port; 0 asks the system for a free one. */
const PORT_NUMBER: NumberFlag = { name: '--port', range: z.number().int().min(0).max(65_535), example: '8765' };

const WORKER_BOOTSTRAP = new URL('../../host/engine-worker-bootstrap.mjs', import.meta.url);

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'serve the app in a browser on 127.0.0.1 (browser mode)',
  flags: {
    port: { type: 'string', valueName: 'N', nonNegative: true, description: 'TCP port on 127.0.0.1 (0 = a free port)', defaultText: '0' },
    open: { type: 'boolean', description: 'open the default browser' },
  },
  example: 'batchdesk serve --db /tmp/demo.db --port 8765',
  async run(ctx) {
    const port = readNumberFlag(PORT_NUMBER, stringFlag(ctx.flags['port']) ?? '0', 'serve');
    const dbPath = ctx.global.dbPath;
    if (!existsSync(dbPath)) throw new BatchdeskError('data', `database ${dbPath} does not exist. Create it with \`batchdesk seed-demo --db ${shellWord(dbPath)}\` or import a dump.`);
    // Opened once before listening, as every command opens its database: a file that is no
    // batchdesk database (or one that needs what no open can give it) is refused here with the
    // command's words, instead of an app that starts and cannot read it.
    openStore(dbPath, { mustExist: true }).close();
    const staticDir = ensureRenderer((l) => ctx.io.err(l));
    const engine = new EngineWorkerClient({
      workerPath: WORKER_BOOTSTRAP,
      options: { dbPath, holder: 'serve' },
      onFault: (m) => ctx.io.err(`engine: ${m}`),
      onStatus: (s) => {
        if (s.state === 'crashed' || s.state === 'failed') ctx.io.err(`engine ${s.state}: ${s.message}`);
      },
    });
    await engine.start();
    let server;
    try {
      server = await startServeServer({ engine, staticDir, port, log: (l) => ctx.io.err(l) });
    } catch (err) {
      await engine.stop();
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') throw new BatchdeskError('usage', `port ${port} on 127.0.0.1 is already in use; choose another --port or 0`);
      throw err;
    }
    ctx.io.out(server.url);
    if (!ctx.global.quiet) ctx.io.err(`batchdesk serve: ${dbPath} on ${server.origin} (127.0.0.1 only). Open the URL above; press Ctrl-C to stop.`);
    if (ctx.flags['open'] === true) openBrowser(server.url);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (!ctx.global.quiet) ctx.io.err('Stopping: the running batch (if any) finishes its current portfolio-date...');
    await server.close();
    await engine.stop();
    return 0;
  },
};
