/**
 * Screen navigation: one screen at a time, with optional parameters (a date, a portfolio). The
 * screen and its parameters live in the URL fragment too, so a reload opens the screen it
 * showed: `#token=...&screen=debug&date=2025-07-01`. Browser mode's access token is the
 * fragment's `token` part (browser-session.tsx reads it on load and when it changes); it is
 * kept as it is, first, and put back when the fragment is edited without it (the token the tab
 * kept, session-token.ts). Each screen change is a history entry, so Back and Forward move
 * between screens, and a fragment edited by hand opens the screen it names. A screen opened on
 * a link (the Run screen on a range, Debug and Reconciliation on a date) keeps the link in its
 * entry, for a reload, and applies it once (useLinkOnce), so Back and Forward come back to it as
 * the user left it.
 */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { keptToken } from './engine-client/session-token';

export const SCREENS = [
  { id: 'run', label: 'Run' },
  { id: 'live', label: 'Live' },
  { id: 'missing', label: 'Missing prices' },
  { id: 'reconciliation', label: 'Reconciliation' },
  { id: 'history', label: 'History' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'data', label: 'Data' },
  { id: 'debug', label: 'Debug a date' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

export interface Route {
  readonly screen: ScreenId;
  readonly params: Readonly<Record<string, string>>;
}

/** How a navigation shows its screen: `replace`, in place of the current history entry (no new entry). */
export interface NavigateOptions {
  readonly replace?: boolean;
}

export interface Navigation {
  readonly route: Route;
  navigate(screen: ScreenId, params?: Record<string, string>, options?: NavigateOptions): void;
}

const SCREEN_IDS: ReadonlySet<string> = new Set(SCREENS.map((s) => s.id));

/** The fragment's parts, the token's verbatim. */
const hashParts = (hash: string): string[] => hash.replace(/^#/, '').split('&').filter(Boolean);

/** The route a URL fragment names; Live when it names none (or a screen this app does not have). */
export function routeFromHash(hash: string): Route {
  const q = new URLSearchParams(hashParts(hash).filter((p) => !p.startsWith('token=')).join('&'));
  const screen = q.get('screen');
  if (screen === null || !SCREEN_IDS.has(screen)) return { screen: 'live', params: {} };
  q.delete('screen');
  return { screen: screen as ScreenId, params: Object.fromEntries(q) };
}

/**
 * The fragment naming `route`, with the token part of `hash` kept first and as it is; a hash
 * without one gets `keptToken` (browser mode's, kept for the tab) back.
 */
export function hashWithRoute(hash: string, route: Route, keptToken: string | null = null): string {
  const inHash = hashParts(hash).filter((p) => p.startsWith('token='));
  const token = inHash.length > 0 ? inHash : keptToken ? [`token=${keptToken}`] : [];
  const q = new URLSearchParams({ screen: route.screen, ...route.params });
  return `#${[...token, q.toString()].join('&')}`;
}

/** The route in one string, e.g. `screen=debug&date=2025-07-01`: the same for the same screen and parameters. */
export const routeKey = (route: Route): string => hashWithRoute('', route).slice(1);

const sameRoute = (a: Route, b: Route): boolean => routeKey(a) === routeKey(b);

/**
 * The route shown, kept in step with the URL both ways: `go` shows a route and adds a history
 * entry for it (or, `replace`, rewrites the current one); Back, Forward and an edit of the
 * fragment (popstate, hashchange) show the route the URL then names. The fragment is rewritten
 * in place to the route shown, so one naming a screen the app does not have reads Live, its
 * token kept.
 */
export function useRouteInUrl(): { route: Route; go: (next: Route, options?: NavigateOptions) => void } {
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const follow = () => {
      const next = routeFromHash(window.location.hash);
      const hash = hashWithRoute(window.location.hash, next, keptToken());
      if (hash !== window.location.hash) window.history.replaceState(window.history.state, '', hash);
      setRoute((shown) => (sameRoute(shown, next) ? shown : next));
    };
    follow();
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
    };
  }, []);
  const go = useCallback((next: Route, { replace = false }: NavigateOptions = {}) => {
    const hash = hashWithRoute(window.location.hash, next, keptToken());
    if (hash !== window.location.hash) {
      if (replace) window.history.replaceState(window.history.state, '', hash);
      else window.history.pushState(null, '', hash);
    }
    setRoute(next);
  }, []);
  return { route, go };
}

/** The key of history.state under which an entry says its screen applied the link its route names (useLinkOnce). */
const LINK_APPLIED = 'linkApplied';

/**
 * Whether the screen shown opens on what its route names (a link's date) over the choices it
 * kept, because its history entry shows for the first time. The entry is marked then
 * (history.state), so Back and Forward to it show the screen as the user left it. A reload keeps
 * the mark but not the screen's kept choices: with none kept, the screen opens on the link again.
 */
export function useLinkOnce(hasLink: boolean): boolean {
  const key = routeKey(useNavigation().route);
  const [appliedBefore] = useState(() => (window.history.state as Record<string, unknown> | null)?.[LINK_APPLIED] === key);
  useEffect(() => {
    if (hasLink) window.history.replaceState({ ...(window.history.state as Record<string, unknown> | null), [LINK_APPLIED]: key }, '');
  }, [hasLink, key]);
  return hasLink && !appliedBefore;
}

export const NavigationContext = createContext<Navigation>({ route: { screen: 'live', params: {} }, navigate: () => undefined });

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}
