/**
 * The access checks of `serve` (SPEC.md k.2, m.19), in order: the Host header must name the
 * loopback address and the served port (blocks DNS rebinding), a present Origin must be the
 * served origin (403), and every API request must carry the per-launch token, as
 * `Authorization: Bearer` or, for the event stream only (EventSource cannot set headers), as a
 * `token` query parameter (401).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorShape } from '../../core/api/errors';

export interface GuardConfig {
  readonly port: number;
  readonly token: string;
}

export type GuardResult = { readonly ok: true } | { readonly ok: false; readonly status: 400 | 401 | 403; readonly error: ErrorShape };

export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): readonly string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/** Constant-time token comparison. */
export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const h = headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

/**
 * The request target as a URL on this server, or null when it is not a path. It is appended to
 * the origin, not resolved against it: `//x` is a path here, not another host.
 */
export function requestUrl(target: string, origin: string): URL | null {
  if (!target.startsWith('/')) return null;
  try {
    return new URL(`${origin}${target}`);
  } catch {
    return null;
  }
}

export function checkRequest(req: { readonly url: string; readonly headers: IncomingHttpHeaders }, cfg: GuardConfig): GuardResult {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts(cfg.port).includes(host)) {
    return { ok: false, status: 403, error: { code: 'forbidden', message: `the Host header must be 127.0.0.1:${cfg.port}` } };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(cfg.port).includes(origin.toLowerCase())) {
    return { ok: false, status: 403, error: { code: 'forbidden', message: 'requests from another origin are refused' } };
  }
  const url = requestUrl(req.url, `http://${host}`);
  if (!url) return { ok: false, status: 400, error: { code: 'usage', message: 'the request target is not a path on this server' } };
  if (!url.pathname.startsWith('/api/')) return { ok: true };
  const given = bearerToken(req.headers) ?? (url.pathname === '/api/events' ? url.searchParams.get('token') : null);
  if (!tokenMatches(given, cfg.token)) {
    return { ok: false, status: 401, error: { code: 'unauthorized', message: given === null ? 'the access token is missing' : 'the access token is wrong' } };
  }
  return { ok: true };
}
