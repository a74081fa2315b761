/**
 * Browser mode's access token, kept for this tab once the server took it: the fragment edited
 * by hand without it gets it back, and a reload of a URL without it still works. The tab's
 * sessionStorage holds it: this origin's and this tab's only, never sent to the server, gone
 * when the tab closes; the page itself never contains the token (docs/desktop-app.md, browser
 * mode security). A token the server refuses is not kept, and a token in the fragment replaces
 * it once the server took it (browser-session.tsx).
 */
import { tokenFromLocation } from './http-transport';

const KEY = 'batchdesk.token';

/** The token this tab kept, or null (none kept, the desktop app, storage unavailable). */
export function keptToken(): string | null {
  try {
    const kept = window.sessionStorage.getItem(KEY);
    return kept === null ? null : tokenFromLocation(`#token=${kept}`);
  } catch {
    return null;
  }
}

/** Keeps `token` for this tab, after the server took it. */
export function keepToken(token: string): void {
  try {
    window.sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused (a privacy mode): a reload then needs the full URL, as before.
  }
}

/** Forgets the kept token, after the server refused it. */
export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // nothing kept
  }
}
