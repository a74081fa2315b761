/** The engine client and the live store for every screen, through React context. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { EngineClient } from './engine-client/engine-client';
import type { LiveState } from './state/live-run';
import type { LiveStore } from './state/live-store';

export interface AppServices {
  readonly client: EngineClient;
  readonly live: LiveStore;
}

const Services = createContext<AppServices | null>(null);

export function ServicesProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  return <Services.Provider value={value}>{children}</Services.Provider>;
}

export function useServices(): AppServices {
  const s = useContext(Services);
  if (!s) throw new Error('useServices outside ServicesProvider');
  return s;
}

export function useClient(): EngineClient {
  return useServices().client;
}

export function useLive(): LiveState {
  const { live } = useServices();
  return useSyncExternalStore(live.subscribe, live.getSnapshot);
}
