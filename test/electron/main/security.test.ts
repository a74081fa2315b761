/**
 * The window hardening of electron/main (SPEC.md 0.2): web preferences, the CSP header and
 * denied permissions, navigation and window-open guards, the app-URL matcher, database and
 * renderer paths. Electron itself is not loaded: the modules take plain objects.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { APP_CSP, appUrlMatcher, guardNavigation, hardenSession, secureWebPreferences } from '../../../electron/main/security';
import { databasePath, rendererUrl } from '../../../electron/main/paths';

describe('window hardening', () => {
  it('web preferences: context isolation, sandbox, no Node integration, web security', () => {
    const p = secureWebPreferences('/app/out/preload/index.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
    expect(p.preload).toMatch(/\.cjs$/);
  });

  it('every response gets the strict CSP; every permission is refused', () => {
    let headers: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | null = null;
    let permission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    hardenSession({
      webRequest: { onHeadersReceived: (fn: typeof headers) => (headers = fn) },
      setPermissionRequestHandler: (fn: typeof permission) => (permission = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
    } as never);
    let out: Record<string, string[]> = {};
    headers!({ responseHeaders: { 'content-type': ['text/html'] } }, (r) => (out = r.responseHeaders));
    expect(out['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(out['content-type']).toEqual(['text/html']);
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(APP_CSP).not.toContain('unsafe-inline');
    const granted = vi.fn();
    permission!(null, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(check!()).toBe(false);
  });

  it('navigation away from the app and new windows are denied', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    const log = vi.fn();
    const page = 'file:///opt/app/out/renderer/index.html';
    guardNavigation(contents as never, appUrlMatcher(page), log);
    const away = { preventDefault: vi.fn() };
    contents.emit('will-navigate', away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    contents.emit('will-navigate', home, `${page}#screen`);
    expect(home.preventDefault).not.toHaveBeenCalled();
    const redirect = { preventDefault: vi.fn() };
    contents.emit('will-redirect', redirect, 'http://127.0.0.1:9/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => { action: string };
    expect(handler({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('the app URL matcher accepts only the app page (file) or the dev server origin', () => {
    const file = appUrlMatcher('file:///opt/app/out/renderer/index.html');
    expect(file('file:///opt/app/out/renderer/index.html?x#y')).toBe(true);
    expect(file('file:///etc/passwd')).toBe(false);
    expect(file('https://opt/app/out/renderer/index.html')).toBe(false);
    expect(file('not a url')).toBe(false);
    const dev = appUrlMatcher('http://localhost:5173/');
    expect(dev('http://localhost:5173/some/route')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
  });

  it('database path: --db, then BATCHDESK_DB, then the app data folder (the CLI default)', () => {
    expect(databasePath(['electron', '.', '--db', '/tmp/a.db'], {}, '/home/u/.config/batchdesk')).toBe('/tmp/a.db');
    expect(databasePath(['electron', '--db=/tmp/b.db'], { BATCHDESK_DB: '/tmp/c.db' }, '/x')).toBe('/tmp/b.db');
    expect(databasePath(['electron'], { BATCHDESK_DB: '/tmp/c.db' }, '/x')).toBe('/tmp/c.db');
    expect(databasePath(['electron'], {}, '/home/u/.config/batchdesk')).toBe('/home/u/.config/batchdesk/portfolios.sqlite');
    expect(rendererUrl('/opt/app/out/main', undefined)).toBe('file:///opt/app/out/renderer/index.html');
    expect(rendererUrl('/opt/app/out/main', 'http://localhost:5173')).toBe('http://localhost:5173');
  });
});
