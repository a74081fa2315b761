/**
 * Screen navigation: one screen at a time, with optional parameters (a date, a portfolio). The
 * screen and its parameters live in the URL fragment too, so a reload opens the screen it
 * showed: `#token=...&screen=debug&date=2025-07-01`. Browser mode's access token is the
 * fragment's `token` part (main.tsx reads it on load); it is kept as it is, first.
 */
import { createContext, useContext } from 'react';

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

export interface Navigation {
  readonly route: Route;
  navigate(screen: ScreenId, params?: Record<string, string>): void;
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

/** The fragment naming `route`, with the token part of `hash` kept first and as it is. */
export function hashWithRoute(hash: string, route: Route): string {
  const token = hashParts(hash).filter((p) => p.startsWith('token='));
  const q = new URLSearchParams({ screen: route.screen, ...route.params });
  return `#${[...token, q.toString()].join('&')}`;
}

export const NavigationContext = createContext<Navigation>({ route: { screen: 'live', params: {} }, navigate: () => undefined });

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}
