/**
 * Browser mode as a user starts it (issue 9; SPEC.md k.2, m.19): a real `batchdesk serve`
 * process (package bin, engine worker, built renderer) on a demo database.
 *   - It listens on 127.0.0.1 only: 127.0.0.2, ::1 and every non-loopback address of this
 *     machine refuse the connection, and there is no flag to bind elsewhere.
 *   - Every API route needs the token, every contract command included, the event stream
 *     included (there also as a `token` query parameter, which no other route accepts); the
 *     page and its assets are public and never contain the token.
 *   - A request whose Origin is present and is not the served origin gets 403, on the API and
 *     on the page; a Host header that does not name the loopback address gets 403.
 *   - The page carries a strict Content-Security-Policy (header and meta) and no-framing,
 *     no-sniffing, no-referrer headers.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../core/api/contract';
import { RENDERER_DIST } from '../../cli/serve/renderer-bundle';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { backfilledDemo, ENV } from '../support/safeguards';
import { httpRequest, startServeProcess, type ServeProcess } from '../support/serve-process';

function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(2000);
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('timeout', () => {
      s.destroy();
      resolve('timeout');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('browser mode (a real batchdesk serve process)', () => {
  let serve: ServeProcess;
  let path = '';
  let before: Record<string, string>;

  beforeAll(async () => {
    path = join(tempDir('batchdesk-serve-sec-'), 'portfolios.sqlite');
    copyFileSync(await backfilledDemo(), path);
    before = tableContents(path);
    serve = await startServeProcess(path, ENV);
  }, 300_000);

  afterAll(async () => {
    await serve?.stop();
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await tryConnect('127.0.0.1', serve.port)).toBe('connected');
    const others = ['127.0.0.2', '::1', ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((i) => !i.internal).map((i) => i.address))];
    for (const host of others) expect(await tryConnect(host, serve.port), host).not.toBe('connected');
  });

  it('has no flag to bind another address', async () => {
    for (const flag of ['--host', '--bind', '--address']) {
      const r = await runCli(['serve', '--db', path, flag, '0.0.0.0'], ENV);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`unknown flag ${flag}`));
    }
  });

  it('every contract command refuses a request without the token, or with a wrong one (401)', async () => {
    expect(COMMAND_NAMES.length).toBeGreaterThan(30);
    for (const name of COMMAND_NAMES) {
      const variants: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${serve.token}` }, { cookie: `token=${serve.token}` }];
      for (const headers of variants) {
        const r = await httpRequest(serve.port, { method: 'POST', path: `/api/commands/${name}`, headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
        expect(r.status, `${name} ${JSON.stringify(headers)}`).toBe(401);
      }
      const q = await httpRequest(serve.port, { method: 'POST', path: `/api/commands/${name}?token=${serve.token}`, body: '{}' });
      expect(q.status, `${name} with a query token`).toBe(401);
    }
  });

  it('the other API routes need the token too; the event stream also takes it as a query parameter', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/events'],
      ['GET', '/api/events?token=wrong'],
      ['GET', '/api/analytics/factors?portfolio_id=x'],
      ['GET', '/api/analytics/stress-tests?portfolio_id=x'],
      ['POST', '/api/uploads'],
      ['GET', '/api/no-such-route'],
      ['GET', `/api/analytics/factors?portfolio_id=x&token=${serve.token}`],
      ['POST', `/api/uploads?token=${serve.token}`],
    ];
    for (const [method, p] of routes) {
      const r = await httpRequest(serve.port, { method, path: p, ...(method === 'POST' ? { body: 'PGDMP' } : {}) });
      expect(r.status, `${method} ${p}`).toBe(401);
    }
    const q = await httpRequest(serve.port, { path: `/api/events?token=${serve.token}`, readForMs: 300 });
    expect(q.status).toBe(200);
    expect(String(q.headers['content-type'])).toMatch(/text\/event-stream/);
    expect(q.body).toMatch(/event: engine/);
    const b = await httpRequest(serve.port, { path: '/api/events', headers: { authorization: `Bearer ${serve.token}` }, readForMs: 300 });
    expect(b.status).toBe(200);
  });

  it('the page and its assets are public, strict about scripts, and never contain the token', async () => {
    const assets = readdirSync(join(RENDERER_DIST, 'assets'));
    expect(assets.length).toBeGreaterThan(0);
    for (const p of ['/', '/index.html', '/runs', ...assets.map((a) => `/assets/${a}`)]) {
      const r = await httpRequest(serve.port, { path: p });
      expect(r.status, p).toBe(200);
      expect(r.body.includes(serve.token), p).toBe(false);
      const csp = String(r.headers['content-security-policy']);
      for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "connect-src 'self'"]) expect(csp, `${p}: ${directive}`).toContain(directive);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
    const page = await httpRequest(serve.port, { path: '/' });
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page.body);
    expect(meta, 'the built page carries a CSP meta as well').not.toBeNull();
    expect(meta![1]).toContain("script-src 'self'");
    expect(meta![1]).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('a foreign Origin gets 403 on the API and on the page; the served origin is allowed', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${serve.port + 1}`, `https://127.0.0.1:${serve.port}`, 'http://127.0.0.1']) {
      const api = await httpRequest(serve.port, { method: 'POST', path: '/api/commands/listPortfolios', headers: { authorization: `Bearer ${serve.token}`, origin }, body: '{}' });
      expect(api.status, origin).toBe(403);
      const page = await httpRequest(serve.port, { path: '/', headers: { origin } });
      expect(page.status, origin).toBe(403);
      const events = await httpRequest(serve.port, { path: `/api/events?token=${serve.token}`, headers: { origin } });
      expect(events.status, origin).toBe(403);
    }
    for (const origin of [serve.origin, `http://localhost:${serve.port}`]) {
      const ok = await httpRequest(serve.port, { method: 'POST', path: '/api/commands/listPortfolios', headers: { authorization: `Bearer ${serve.token}`, origin }, body: '{}' });
      expect(ok.status, origin).toBe(200);
    }
  });

  it('a Host header that is not the loopback address and port gets 403 (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${serve.port}`, `127.0.0.1:${serve.port + 1}`, '127.0.0.1', `0.0.0.0:${serve.port}`]) {
      const r = await httpRequest(serve.port, { path: '/', headers: { host } });
      expect(r.status, host).toBe(403);
      const api = await httpRequest(serve.port, { method: 'POST', path: '/api/commands/listPortfolios', headers: { host, authorization: `Bearer ${serve.token}` }, body: '{}' });
      expect(api.status, host).toBe(403);
    }
    const ok = await httpRequest(serve.port, { path: '/', headers: { host: `localhost:${serve.port}` } });
    expect(ok.status).toBe(200);
  });

  it('an upload cannot choose where it lands: a crafted file name stays a plain name in the upload folder', async () => {
    for (const name of ['../../portfolios.sqlite', path, '..', '/etc/passwd', 'a/../../b.dump']) {
      const r = await httpRequest(serve.port, { method: 'POST', path: '/api/uploads', headers: { authorization: `Bearer ${serve.token}`, 'x-file-name': name }, body: 'PGDMP not really a dump' });
      expect(r.status, name).toBe(200);
      const out = JSON.parse(r.body).output as { path: string; name: string; bytes: number };
      expect(out.name, name).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(['.', '..'], name).not.toContain(out.name);
      expect(out.path.startsWith(join(dirname(path), '')), `${name} -> ${out.path}`).toBe(false);
      expect(basename(out.path).endsWith(out.name)).toBe(true);
      expect(out.bytes).toBe(23);
    }
  });

  it('none of it changed the database', () => {
    expect(tableContents(path)).toEqual(before);
  });
});
