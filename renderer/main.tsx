/**
 * Renderer entry: picks the transport (the preload bridge in the desktop app, HTTP with the
 * token from the URL fragment in browser mode, else the one this tab kept after the server
 * took it) and mounts the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BRIDGE_KEY, type BatchdeskBridge } from '../core/api/bridge';
import { App } from './app';
import { ServicesProvider } from './app-context';
import { EngineClient } from './engine-client/engine-client';
import { HttpTransport, tokenFromLocation } from './engine-client/http-transport';
import { IpcTransport } from './engine-client/ipc-transport';
import { forgetToken, keepToken, keptToken } from './engine-client/session-token';
import type { Transport } from './engine-client/transport';
import { LiveStore } from './state/live-store';
import './styles.css';

/** Browser mode's token: the URL's, else the one this tab kept (a fragment edited without it, then reloaded). */
const urlToken = tokenFromLocation(window.location.hash);
const token = urlToken ?? keptToken();

function pickTransport(): Transport | null {
  const bridge = (window as unknown as Record<string, BatchdeskBridge | undefined>)[BRIDGE_KEY];
  if (bridge) return new IpcTransport(bridge);
  return token ? new HttpTransport(token) : null;
}

const root = createRoot(document.getElementById('root')!);

/** The page shown instead of the app when browser mode has no usable token. */
function tokenPage(problem: string) {
  root.render(
    <main className="app-main standalone">
      <h1>batchdesk</h1>
      <p role="alert" data-testid="token-problem">
        {problem} Open the full URL that <code>batchdesk serve</code> printed (it ends with <code>#token=...</code>); each start of <code>serve</code> prints a new one.
      </p>
    </main>,
  );
}

function mountApp(transport: Transport) {
  const client = new EngineClient(transport);
  const live = new LiveStore(client);
  root.render(
    <StrictMode>
      <ServicesProvider value={{ client, live }}>
        <App />
      </ServicesProvider>
    </StrictMode>,
  );
}

const transport = pickTransport();
if (!transport) tokenPage('This page needs the access token.');
else if (transport.kind !== 'http') mountApp(transport);
else {
  // A wrong token (an old URL, a server started again) is said at once, instead of an app whose
  // every view would be empty. A token the server took is kept for this tab (session-token.ts).
  void transport.invoke('getRunStatus', {}).then((r) => {
    const answer = r as { ok?: boolean; error?: { code?: string } };
    if (answer.error?.code === 'unauthorized') {
      if (token === keptToken()) forgetToken();
      tokenPage(urlToken ? 'The access token in this URL is not the one this server expects.' : 'The access token this tab kept is not the one this server expects.');
      return;
    }
    if (answer.ok && token) keepToken(token);
    mountApp(transport);
  });
}
