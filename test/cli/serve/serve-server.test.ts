/**
 * Browser-mode security and transport (SPEC.md k.2, m.19; issue 8 acceptance): 401 without
 * or with a wrong token, 403 for another Origin or a foreign Host header, 413 above 10 MB
 * (but not for dump uploads), the event stream with the token as a query parameter, static
 * files without traversal, and a listener on 127.0.0.1 only. The engine is a stub here; the
 * real worker is exercised by serve-command.test.ts and the E2E suite.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { EngineStatus } from '../../../host/engine-worker-client';
import { startServeServer, uploadFileName, type EngineConnection, type ServeServer } from '../../../cli/serve/serve-server';
import { resolveStatic } from '../../../cli/serve/static-files';
import { dateResultEvent, metricEvent } from '../../support/telemetry/event-builders';
import { tempDir } from '../../support/temp-dirs';

class StubEngine implements EngineConnection {
  readonly calls: { name: string; input: unknown }[] = [];
  private readonly listeners = new Set<(e: TelemetryEvent) => void>();
  currentStatus: EngineStatus = { state: 'ready', restarts: 0, recoveredLock: null };
  maintenance = false;
  async call(name: string, input: unknown) {
    if (name === 'getMaintenanceState') return { ok: true as const, output: { active: this.maintenance, reason: this.maintenance ? 'rebuild' : null, since: null } };
    this.calls.push({ name, input });
    if (name === 'listPortfolios') return { ok: true as const, output: { portfolios: [] } };
    if (name === 'getDataSummary') return { ok: false as const, error: { code: 'io' as const, message: 'database disk image is malformed (SQLITE_CORRUPT)', details: { files: { '/d/p.sqlite': { inode: 7, bytes: 4096 } } } } };
    return { ok: false as const, error: { code: 'not_found' as const, message: `unknown command "${name}"` } };
  }
  onEvent(l: (e: TelemetryEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  onStatus() {
    return () => undefined;
  }
  emit(e: TelemetryEvent) {
    for (const l of this.listeners) l(e);
  }
  get subscribers() {
    return this.listeners.size;
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(s: ServeServer, opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${s.port}`, ...(opts.headers ?? {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) {
      if (opts.chunked) {
        const buf = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
        for (let i = 0; i < buf.length; i += 1 << 20) req.write(buf.subarray(i, i + (1 << 20)));
      } else req.write(opts.body);
    }
    req.end();
  });
}

let server: ServeServer;
const engine = new StubEngine();
const staticDir = tempDir('serve-static-');
const uploadDir = tempDir('serve-uploads-');
const logged: string[] = [];

beforeAll(async () => {
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>batchdesk</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServeServer({ engine, staticDir, uploadDir, token: 'secret-token-123', log: (line) => logged.push(line) });
});

afterAll(async () => {
  await server.close();
});

const auth = { authorization: 'Bearer secret-token-123' };

describe('serve: access control', () => {
  it('prints a URL with the token in the fragment, on 127.0.0.1', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=secret-token-123`);
  });

  it('an API request without the token gets 401', async () => {
    const r = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', body: '{}' });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'unauthorized', message: 'the access token is missing' } });
    expect(engine.calls).toEqual([]);
  });

  it('a wrong token gets 401, and the query token is accepted only on the event stream', async () => {
    expect((await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: { authorization: 'Bearer nope' }, body: '{}' })).status).toBe(401);
    expect((await send(server, { method: 'POST', path: '/api/commands/listPortfolios?token=secret-token-123', body: '{}' })).status).toBe(401);
    expect((await send(server, { path: '/api/analytics/factors?portfolio_id=x&token=secret-token-123' })).status).toBe(401);
  });

  it('with the token the command reaches the engine', async () => {
    const r = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: auth, body: '{"includeDeleted":false}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, output: { portfolios: [] } });
    expect(engine.calls.at(-1)).toEqual({ name: 'listPortfolios', input: { includeDeleted: false } });
    const unknown = await send(server, { method: 'POST', path: '/api/commands/dropTables', headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('a failure that is not the caller\'s (I/O, internal) is logged with its details; a caller\'s mistake is not', async () => {
    logged.length = 0;
    const failed = await send(server, { method: 'POST', path: '/api/commands/getDataSummary', headers: auth, body: '{}' });
    expect(failed.status).toBe(500);
    expect(logged).toEqual(['serve: POST /api/commands/getDataSummary: database disk image is malformed (SQLITE_CORRUPT) {"files":{"/d/p.sqlite":{"inode":7,"bytes":4096}}}']);
    logged.length = 0;
    expect((await send(server, { method: 'POST', path: '/api/commands/dropTables', headers: auth, body: '{}' })).status).toBe(404);
    expect(logged).toEqual([]);
  });

  it('a request from another Origin gets 403, even with the token; the served origin is allowed', async () => {
    const r = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...auth, origin: 'http://evil.example' }, body: '{}' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('forbidden');
    const page = await send(server, { path: '/', headers: { origin: 'http://127.0.0.1:1' } });
    expect(page.status).toBe(403);
    const same = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...auth, origin: server.origin }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('a Host header that is not the loopback address gets 403 (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `192.168.1.10:${server.port}`]) {
      const r = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...auth, host }, body: '{}' });
      expect(r.status).toBe(403);
    }
    expect((await send(server, { path: '/', headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('listens on 127.0.0.1 only: no connection on any other local address', async () => {
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of [...others, '::1']) {
      const refused = await new Promise<boolean>((resolve) => {
        const sock = connect({ host: address, port: server.port, timeout: 1500 });
        sock.on('connect', () => {
          sock.destroy();
          resolve(false);
        });
        sock.on('error', () => resolve(true));
        sock.on('timeout', () => {
          sock.destroy();
          resolve(true);
        });
      });
      expect(refused, `connection to ${address}`).toBe(true);
    }
  });
});

describe('serve: maintenance', () => {
  it('while a rebuild holds the database, data responses carry "rebuilding": true', async () => {
    engine.maintenance = true;
    await new Promise((r) => setTimeout(r, 1100)); // past the flag's 1 s cache
    const on = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: auth, body: '{}' });
    expect(JSON.parse(on.body)).toEqual({ ok: true, output: { portfolios: [] }, rebuilding: true });
    engine.maintenance = false;
    await new Promise((r) => setTimeout(r, 1100));
    const off = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: auth, body: '{}' });
    expect(JSON.parse(off.body)).toEqual({ ok: true, output: { portfolios: [] } });
  });
});

describe('serve: request bodies', () => {
  it('a JSON body over 10 MB gets 413 (declared length and chunked)', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 0x20);
    const declared = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...auth, 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe('payload_too_large');
    const chunked = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...auth, 'transfer-encoding': 'chunked' }, body: big, chunked: true });
    expect(chunked.status).toBe(413);
  });

  it('a malformed JSON body is a usage error', async () => {
    const r = await send(server, { method: 'POST', path: '/api/commands/listPortfolios', headers: auth, body: '{nope' });
    expect(r.status).toBe(400);
  });

  it('a dump upload over 10 MB is streamed to a temporary file', async () => {
    const data = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    const r = await send(server, { method: 'POST', path: '/api/uploads', headers: { ...auth, 'x-file-name': '../../etc/reference dump.custom' }, body: data, chunked: true });
    expect(r.status).toBe(200);
    const out = JSON.parse(r.body).output as { path: string; name: string; bytes: number };
    expect(out.name).toBe('reference_dump.custom');
    expect(out.bytes).toBe(data.length);
    expect(out.path.startsWith(uploadDir)).toBe(true);
    expect(readFileSync(out.path).equals(data)).toBe(true);
    expect((await send(server, { method: 'POST', path: '/api/uploads', body: 'x' })).status).toBe(401);
  });

  it('upload names are reduced to a safe base name', () => {
    expect(uploadFileName('a/b/c.dump')).toBe('c.dump');
    expect(uploadFileName('..')).toBe('upload.dump');
    expect(uploadFileName(undefined)).toBe('upload.dump');
    expect(uploadFileName('x;rm -rf $HOME.sql')).toBe('x_rm_-rf__HOME.sql');
  });
});

describe('serve: event stream', () => {
  it('needs the token; accepts it as a query parameter; sends engine status and throttled telemetry batches', async () => {
    expect((await send(server, { path: '/api/events' })).status).toBe(401);
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events?token=secret-token-123', headers: { host: `127.0.0.1:${server.port}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let buf = '';
        res.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          if (buf.includes('event: telemetry')) {
            req.destroy();
            resolve(buf);
          }
        });
        setTimeout(() => {
          for (let i = 1; i <= 50; i++) engine.emit(metricEvent('heartbeat', i, i));
          engine.emit(dateResultEvent('2025-07-01', 'success', 51));
        }, 50);
      });
      req.on('error', reject);
      req.end();
    });
    expect(text).toContain('event: engine');
    const frame = text.split('\n\n').find((f) => f.startsWith('event: telemetry'))!;
    const batch = JSON.parse(frame.split('\n')[1]!.slice('data: '.length));
    // 50 heartbeats coalesced to the latest one; the date result kept.
    expect(batch.events.map((e: TelemetryEvent) => e.seq)).toEqual([50, 51]);
    expect(batch.counts['metric:heartbeat']).toBe(50);
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.subscribers).toBe(0);
  });
});

describe('serve: static files', () => {
  it('serves the renderer with security headers and falls back to index.html for routes', async () => {
    const r = await send(server, { path: '/' });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>batchdesk</title>');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((await send(server, { path: '/missing-prices' })).body).toContain('<title>batchdesk</title>');
    const js = await send(server, { path: '/assets/app.js' });
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await send(server, { path: '/assets/nope.js' })).status).toBe(404);
    expect((await send(server, { method: 'DELETE', path: '/' })).status).toBe(405);
  });

  it('takes a target starting with // as a path on this server, not another host; a target that is no path gets 400', async () => {
    for (const path of ['//', '//evil.example/x']) {
      const r = await send(server, { path });
      expect(r.status, path).toBe(200);
      expect(r.body, path).toContain('<title>batchdesk</title>');
    }
    expect((await send(server, { path: '//assets/app.js' })).headers['content-type']).toMatch(/javascript/);
    const star = await send(server, { method: 'OPTIONS', path: '*' });
    expect(star.status).toBe(400);
    expect(JSON.parse(star.body)).toMatchObject({ ok: false, error: { code: 'usage', message: 'the request target is not a path on this server' } });
  });

  it('never serves a file outside the renderer folder', async () => {
    expect(resolveStatic('/srv/app', '/../../etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveStatic('/srv/app', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveStatic('/srv/app', '/%E0%A4%A')).toBeNull();
    const r = await send(server, { path: '/..%2f..%2f..%2fetc%2fpasswd' });
    expect(r.body).not.toContain('root:');
  });
});
