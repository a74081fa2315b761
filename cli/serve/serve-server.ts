/**
 * The browser-mode server behind `batchdesk serve` (SPEC.md k.2, m.19): the command contract
 * over HTTP (POST /api/commands/<name>), telemetry as server-sent events (GET /api/events),
 * the two analytics read endpoints, dump uploads streamed to a temporary file, and the built
 * renderer. It listens on 127.0.0.1 only. The engine itself runs in a worker thread; this
 * module only relays, so it stays responsive during a backfill.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { BatchdeskError, type ErrorCode, type ErrorShape } from '../../core/api/errors';
import type { DispatchResult } from '../../host/dispatcher';
import { readJsonBody, streamBodyToFile } from './body-reader';
import { openEventStream, type EventSourceLike } from './event-stream';
import { checkRequest, requestUrl } from './request-guard';
import { SECURITY_HEADERS, serveStatic } from './static-files';

export const SERVE_HOST = '127.0.0.1';

export interface EngineConnection extends EventSourceLike {
  call(name: string, input: unknown): Promise<DispatchResult>;
}

export interface ServeServerOptions {
  readonly engine: EngineConnection;
  /** The built renderer (dist/renderer). */
  readonly staticDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Fixed token (tests); otherwise 32 random bytes, base64url. */
  readonly token?: string;
  /** Where uploads go; default a fresh temporary folder removed at close. */
  readonly uploadDir?: string;
  readonly log?: (line: string) => void;
}

export interface ServeServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly server: Server;
  close(): Promise<void>;
}

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  usage: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  locked: 409,
  gate_closed: 409,
  cancelled: 409,
  check_failed: 422,
  payload_too_large: 413,
  data: 422,
  io: 500,
  internal: 500,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function sendError(res: ServerResponse, error: ErrorShape, status = STATUS_BY_CODE[error.code]): void {
  sendJson(res, status, { ok: false, error });
}

function sendResult(res: ServerResponse, result: DispatchResult, rebuilding = false): void {
  sendJson(res, result.ok ? 200 : STATUS_BY_CODE[result.error.code], rebuilding ? { ...result, rebuilding: true } : result);
}

/** How long the maintenance flag is trusted before it is read again. */
const MAINTENANCE_TTL_MS = 1000;

/** A safe file name for an upload: the base name with anything unusual replaced. */
export function uploadFileName(raw: string | undefined): string {
  const base = basename(String(raw ?? 'upload.dump')).replace(/[^A-Za-z0-9._-]/g, '_').slice(-120);
  return base.length === 0 || base === '.' || base === '..' ? 'upload.dump' : base;
}

export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const ownUploadDir = options.uploadDir === undefined;
  const uploadDir = options.uploadDir ?? mkdtempSync(join(tmpdir(), 'batchdesk-uploads-'));
  const streams = new Set<() => void>();
  let port = 0;
  // SPEC.md k.2: while settings.maintenance.active is true, data responses carry "rebuilding": true.
  const maintenance = { active: false, checkedAt: Number.NEGATIVE_INFINITY, pending: null as Promise<void> | null };
  const rebuilding = async (): Promise<boolean> => {
    if (Date.now() - maintenance.checkedAt > MAINTENANCE_TTL_MS) {
      maintenance.pending ??= options.engine
        .call('getMaintenanceState', {})
        .then((r) => {
          maintenance.active = r.ok && (r.output as { active: boolean }).active;
          maintenance.checkedAt = Date.now();
        })
        .finally(() => (maintenance.pending = null));
      await maintenance.pending;
    }
    return maintenance.active;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const guard = checkRequest({ url: req.url ?? '/', headers: req.headers }, { port, token });
    if (!guard.ok) {
      req.resume();
      sendError(res, guard.error, guard.status);
      return;
    }
    // The guard has checked that the target is a path.
    const url = requestUrl(req.url ?? '/', `http://${SERVE_HOST}:${port}`)!;
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (!path.startsWith('/api/')) {
      if (method !== 'GET' && method !== 'HEAD') {
        req.resume();
        sendError(res, { code: 'usage', message: `${method} is not allowed here` }, 405);
        return;
      }
      serveStatic(options.staticDir, path, res, method);
      return;
    }
    if (method === 'POST' && path.startsWith('/api/commands/')) {
      const name = decodeURIComponent(path.slice('/api/commands/'.length));
      const body = await readJsonBody(req);
      const result = await options.engine.call(name, body);
      // A failure that is not the caller's (I/O, a bug) is logged for whoever runs the server.
      if (!result.ok && (result.error.code === 'io' || result.error.code === 'internal')) {
        options.log?.(`serve: ${method} ${path}: ${result.error.message}${result.error.details ? ` ${JSON.stringify(result.error.details)}` : ''}`);
      }
      sendResult(res, result, await rebuilding());
      return;
    }
    if (method === 'GET' && path === '/api/events') {
      const stop = openEventStream(res, options.engine);
      streams.add(stop);
      res.on('close', () => streams.delete(stop));
      return;
    }
    if (method === 'GET' && (path === '/api/analytics/factors' || path === '/api/analytics/stress-tests')) {
      const portfolioId = url.searchParams.get('portfolio_id') ?? '';
      const date = url.searchParams.get('date');
      const input = { portfolioId, ...(date ? { date } : {}) };
      const result = await options.engine.call(path.endsWith('factors') ? 'getFactorExposures' : 'getStressResults', input);
      sendResult(res, result, await rebuilding());
      return;
    }
    if (method === 'POST' && path === '/api/uploads') {
      const name = uploadFileName(req.headers['x-file-name'] as string | undefined);
      const file = join(uploadDir, `${randomBytes(6).toString('hex')}-${name}`);
      const bytes = await streamBodyToFile(req, file);
      sendJson(res, 200, { ok: true, output: { path: file, name, bytes } });
      return;
    }
    req.resume();
    sendError(res, { code: 'not_found', message: `no endpoint ${method} ${path}` }, 404);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const shape: ErrorShape = err instanceof BatchdeskError ? err.toShape() : { code: 'internal', message: (err as Error).message };
      options.log?.(`serve: ${req.method} ${req.url}: ${shape.message}`);
      if (!res.headersSent) sendError(res, shape);
      else res.end();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // uploads and the event stream are long-lived
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: SERVE_HOST, exclusive: true }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${SERVE_HOST}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    server,
    async close() {
      for (const stop of streams) stop();
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      if (ownUploadDir) rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}
