/** Screen navigation: one screen at a time, with optional parameters (a date, a portfolio). */
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

export const NavigationContext = createContext<Navigation>({ route: { screen: 'live', params: {} }, navigate: () => undefined });

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}
