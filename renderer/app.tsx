/**
 * The app shell: header (database, engine and stream state, the gate banner), the screen
 * navigation and the current screen. Screens stay independent; the live run state lives in
 * the shared store, so leaving the Live screen loses nothing.
 */
import { Activity, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { EngineStatus } from '../core/api/engine-status';
import { useClient, useLive, useServices } from './app-context';
import type { ConnectionState } from './engine-client/transport';
import { AnalyticsScreen } from './features/analytics/analytics-screen';
import { DataScreen } from './features/data/data-screen';
import { DebugScreen } from './features/debug/debug-screen';
import { HistoryScreen } from './features/history/history-screen';
import { MissingPricesScreen } from './features/missing-prices/missing-prices-screen';
import { ReconciliationScreen } from './features/reconciliation/reconciliation-screen';
import { RunScreen, runOpening } from './features/run/run-screen';
import { LiveScreen } from './features/telemetry/live-screen';
import { GateBanner } from './features/run/gate-banner';
import { isMonitorRun, laterHistoryRun, runKindOf, runStateLabelOf, runStateOf } from './state/live-run';
import { NavigationContext, routeKey, SCREENS, useRouteInUrl, type NavigateOptions, type Route, type ScreenId } from './navigation';

function engineLabel(s: EngineStatus): string {
  switch (s.state) {
    case 'ready':
      return s.restarts > 0 ? `engine ready (restarted ${s.restarts}x)` : 'engine ready';
    case 'crashed':
      return 'engine restarting...';
    case 'failed':
      return 'engine stopped';
    case 'starting':
      return 'engine starting...';
    case 'stopped':
      return 'engine stopped';
  }
}

function useEngineState(): { status: EngineStatus; connection: ConnectionState; rebuilding: boolean } {
  const client = useClient();
  const [status, setStatus] = useState(client.engineStatus);
  const [connection, setConnection] = useState(client.connectionState);
  const [rebuilding, setRebuilding] = useState(client.rebuilding);
  useEffect(() => {
    const a = client.onEngineStatus(setStatus);
    const b = client.onConnection(setConnection);
    const c = client.onRebuilding(setRebuilding);
    return () => {
      a();
      b();
      c();
    };
  }, [client]);
  return { status, connection, rebuilding };
}

function Screen({ route }: { route: Route }): ReactNode {
  switch (route.screen) {
    case 'run':
      return <RunScreen opening={runOpening(route.params)} />;
    case 'live':
      // Always mounted, below: see App.
      return null;
    case 'missing':
      return <MissingPricesScreen />;
    case 'reconciliation':
      return <ReconciliationScreen initialDate={route.params['date']} initialPortfolio={route.params['portfolio']} />;
    case 'history':
      return <HistoryScreen />;
    case 'analytics':
      return <AnalyticsScreen initialPortfolio={route.params['portfolio']} />;
    case 'data':
      return <DataScreen />;
    case 'debug':
      return <DebugScreen initialDate={route.params['date']} initialPortfolio={route.params['portfolio']} initialPhase={route.params['phase']} />;
  }
}

/** Who did a run of another process (its lock holder, or its history row's trigger), as the header names it. */
const OTHER_RUN_HOLDERS: Readonly<Record<string, string>> = { cli: 'CLI', app: 'desktop app', serve: 'browser-mode' };

/** A run of another process, as the header names it: who did it and its kind. */
function otherRunKind(holder: string | null, mode: string | null): string {
  return `${holder === null ? 'another' : (OTHER_RUN_HOLDERS[holder] ?? holder)} ${mode === 'monitor' ? 'monitor-only (debug) run' : 'run'}`;
}

/**
 * The run in the header, on every screen: the latest run, whatever process did it. This app's
 * live run with its kind (a monitor-only debug run publishes nothing), state (a monitor-only run
 * whose comparison found differences says so) and dates done; while this app runs none, a run
 * of another process on the file (the live store watches it): its dates done while it lasts,
 * then how it ended; and a later run that only the history shows (ended before a reload, or
 * between two looks of the watch) with how it ended.
 */
export function HeaderRun({ onOpen }: { onOpen: () => void }) {
  const live = useLive();
  const other = live.otherRun;
  const later = laterHistoryRun(live);
  if (later) {
    const state = later.status ?? 'finished';
    return (
      <button type="button" className="header-run" data-testid="header-run" data-source="history" data-state={state} data-mode={later.mode ?? ''} onClick={onOpen}>
        {otherRunKind(later.triggeredBy, later.mode)} {state}
      </button>
    );
  }
  if (other.state === 'running' || other.state === 'finished') {
    const kind = otherRunKind(other.run.holder, other.run.mode);
    const state = other.state === 'running' ? 'running' : (other.status ?? 'finished');
    return (
      <button type="button" className="header-run" data-testid="header-run" data-source="other" data-state={state} data-mode={other.run.mode ?? ''} onClick={onOpen}>
        {other.state === 'running' ? `${kind}: ${other.run.datesDone}/${other.run.datesPlanned ?? '?'} dates` : `${kind} ${state}`}
      </button>
    );
  }
  const state = runStateOf(live);
  if (!live.run && live.phase === 'idle') return <span data-testid="header-run" data-state="idle" hidden />;
  const monitor = isMonitorRun(live.run);
  return (
    <button type="button" className={`header-run${monitor ? ' monitor' : ''}`} data-testid="header-run" data-source="app" data-state={state} data-mode={live.run?.mode ?? ''} data-done={live.datesDone} onClick={onOpen}>
      {runKindOf(live.run)} {runStateLabelOf(live).words}: {live.datesDone}/{live.run?.datesPlanned ?? '?'} dates{monitor ? ' computed, not published' : ''}
    </button>
  );
}

/** Focuses the heading of the screen on show (the hidden Live screen's heading is skipped). */
function focusHeading(main: HTMLElement | null): void {
  const h1 = [...(main?.querySelectorAll<HTMLElement>('h1') ?? [])].find((h) => h.checkVisibility());
  h1?.focus();
}

export function App() {
  const { client, live } = useServices();
  // The screen the URL names: a reload opens the screen it showed, Back the one before.
  const { route, go } = useRouteInUrl();
  const [dbName, setDbName] = useState<string | null>(null);
  const { status, connection, rebuilding } = useEngineState();
  const mainRef = useRef<HTMLElement>(null);
  const nav = useMemo(
    () => ({ route, navigate: (screen: ScreenId, params: Record<string, string> = {}, options?: NavigateOptions) => go({ screen, params }, options) }),
    [route, go],
  );
  // Each screen shown after the first (a navigation, Back or Forward, an edited fragment) gets
  // the focus on its heading, for keyboard and screen-reader users; the page's load keeps it.
  const shown = useRef(route);
  useEffect(() => {
    if (shown.current === route) return undefined;
    shown.current = route;
    const frame = requestAnimationFrame(() => focusHeading(mainRef.current));
    return () => cancelAnimationFrame(frame);
  }, [route]);
  useEffect(() => {
    client.connect();
    live.start();
    void live.rebuild().catch(() => undefined);
    void client.call('getDatabaseInfo', {}).then(
      (i) => setDbName(i.name),
      () => setDbName(null),
    );
    return () => live.stop();
  }, [client, live]);
  return (
    <NavigationContext.Provider value={nav}>
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), focusHeading(mainRef.current))}>
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">batchdesk</span>
        <span className="db" title="database">
          {dbName ?? 'database'}
        </span>
        <span className={`pill engine-${status.state}`} role="status" data-testid="engine-status">
          {engineLabel(status)}
        </span>
        <HeaderRun onOpen={() => nav.navigate('live')} />
        {rebuilding ? (
          <span className="pill warn" role="status" data-testid="rebuilding">
            rebuilding history: results may change
          </span>
        ) : null}
        {client.transport.kind === 'http' && connection !== 'open' ? (
          <span className="pill warn" role="status">
            {connection === 'connecting' ? 'connecting to the event stream...' : 'event stream closed'}
          </span>
        ) : null}
        {status.state === 'failed' || status.state === 'crashed' ? (
          <span className="pill bad" role="alert">
            {status.message}
          </span>
        ) : null}
      </header>
      <GateBanner />
      <div className="app-body">
        <nav className="app-nav" aria-label="Screens">
          <ul>
            {SCREENS.map((s) => (
              <li key={s.id}>
                <button type="button" aria-current={route.screen === s.id ? 'page' : undefined} onClick={() => nav.navigate(s.id)} data-testid={`nav-${s.id}`}>
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={mainRef} className="app-main" data-screen={route.screen}>
          {/* The Live screen stays mounted (hidden while another screen shows) so that going
              back to it during a backfill is a visibility switch, not a fresh mount. */}
          <Activity mode={route.screen === 'live' ? 'visible' : 'hidden'}>
            <LiveScreen />
          </Activity>
          {/* Keyed by the route: the same screen on other parameters (an edited fragment, Back
              to an entry of another date) opens afresh on them, as screens read them when opened. */}
          <Screen key={routeKey(route)} route={route} />
        </main>
      </div>
    </NavigationContext.Provider>
  );
}
