/**
 * `batchdesk serve` as a real child process for the E2E suite: started with the CLI's own
 * entry (plain Node + tsx, as after `npm ci`), its first stdout line read as the URL, stopped
 * with SIGINT (graceful) and killed only if it does not exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface ServeProcess {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  stop(): Promise<number | null>;
}

export function startServe(dbPath: string, env: Record<string, string> = {}, extraArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, 'cli/bin/batchdesk.mjs'), 'serve', '--db', dbPath, '--port', '0', ...extraArgs], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL within 90 s; stderr: ${err}`)), 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited early (${code}); stderr: ${err}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = out.slice(0, nl).trim();
      const u = new URL(url);
      const token = /token=([^&]+)/.exec(u.hash)![1]!;
      resolvePromise({
        url,
        origin: u.origin,
        port: Number(u.port),
        token,
        child,
        stderr: () => err,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', (code) => {
              clearTimeout(kill);
              done(code);
            });
            child.kill('SIGINT');
          }),
      });
    });
  });
}
