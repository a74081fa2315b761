/**
 * The window's security checklist (SPEC.md 0.2): context isolation, sandbox, no Node
 * integration, web security on, a strict Content-Security-Policy on every response, no
 * navigation away from the app, no new windows, no permissions.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../core/api/content-security-policy';

/** The renderer's policy (core/api/content-security-policy.ts), shared with browser mode. */
export const APP_CSP = CONTENT_SECURITY_POLICY;

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  };
}

/** Adds the CSP header to every response of the session and refuses every permission request. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP], 'X-Content-Type-Options': ['nosniff'] } });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Navigation stays on the app's page; new windows are denied. */
export function guardNavigation(contents: WebContents, isAppUrl: (url: string) => boolean, log: (line: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log(`blocked navigation to ${url}`);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}

/** The app page: the bundled index.html (file URL, any fragment or query) or the dev server. */
export function appUrlMatcher(pageUrl: string): (url: string) => boolean {
  const page = new URL(pageUrl);
  return (url: string) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (page.protocol === 'file:') return u.protocol === 'file:' && u.pathname === page.pathname;
    return u.origin === page.origin;
  };
}
