/**
 * A real `batchdesk serve` child process (the browser mode as a user starts it: the package
 * bin, the engine in a worker thread, the built renderer) and a raw HTTP client that sets any
 * header, Host included, for the reliability and security suites.
 */
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { startCliProcess } from './cli';

export interface ServeProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServeProcess(dbPath: string, env: Record<string, string | undefined> = {}): Promise<ServeProcess> {
  const child = startCliProcess(['serve', '--db', dbPath, '--port', '0'], env);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('latin1')));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString('latin1');
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(out.slice(0, nl).trim());
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL: ${err}`)));
  });
  const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)$/.exec(url);
  if (!m) throw new Error(`unexpected serve URL line: ${url}`);
  const port = Number(m[1]);
  return {
    child,
    origin: `http://127.0.0.1:${port}`,
    port,
    token: m[2]!,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface HttpRequest {
  readonly method?: string;
  readonly path: string;
  /** Sent as given; `host` defaults to 127.0.0.1:PORT. */
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** For streams that never end (the event stream): resolve after this many ms with what arrived. */
  readonly readForMs?: number;
}

/** One HTTP request to 127.0.0.1:port; the body as text. */
export function httpRequest(port: number, r: HttpRequest): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path, headers: { host: `127.0.0.1:${port}`, ...(r.headers ?? {}) } }, (res) => {
      const chunks: Buffer[] = [];
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', done);
      if (r.readForMs !== undefined) {
        setTimeout(() => {
          done();
          req.destroy();
        }, r.readForMs);
      }
    });
    req.on('error', (e) => (r.readForMs !== undefined && (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}
