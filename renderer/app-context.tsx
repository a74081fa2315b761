/**
 * The engine client and the live store for every screen, through React context, and the state
 * screens keep while another screen shows.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import type { EngineClient } from './engine-client/engine-client';
import type { LiveState } from './state/live-run';
import type { LiveStore } from './state/live-store';

export interface AppServices {
  readonly client: EngineClient;
  readonly live: LiveStore;
}

const Services = createContext<AppServices | null>(null);

/** The screens' kept state by key (useKeptState), for as long as the app runs. */
const Kept = createContext<Map<string, unknown> | null>(null);

export function ServicesProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  const [kept] = useState(() => new Map<string, unknown>());
  return (
    <Services.Provider value={value}>
      <Kept.Provider value={kept}>{children}</Kept.Provider>
    </Services.Provider>
  );
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

/**
 * A screen's state that outlives the screen, which unmounts when another screen shows (the
 * user's choices on a form, a date it was opened on): as useState, kept under `key` while the
 * app runs. `initial` gets what the screen kept (undefined the first time) and gives the state
 * it opens with, e.g. the date it is opened on instead.
 */
export function useKeptState<T>(key: string, initial: (kept: T | undefined) => T): [T, Dispatch<SetStateAction<T>>] {
  const kept = useContext(Kept);
  if (!kept) throw new Error('useKeptState outside ServicesProvider');
  const [value, setValue] = useState(() => initial(kept.get(key) as T | undefined));
  useEffect(() => {
    kept.set(key, value);
  }, [kept, key, value]);
  return [value, setValue];
}
