/**
 * Renderer entry: picks the transport (the preload bridge in the desktop app, HTTP with the
 * token from the URL fragment in browser mode) and mounts the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BRIDGE_KEY, type BatchdeskBridge } from '../core/api/bridge';
import { App } from './app';
import { ServicesProvider } from './app-context';
import { EngineClient } from './engine-client/engine-client';
import { HttpTransport, tokenFromLocation } from './engine-client/http-transport';
import { IpcTransport } from './engine-client/ipc-transport';
import type { Transport } from './engine-client/transport';
import { LiveStore } from './state/live-store';
import './styles.css';

function pickTransport(): Transport | null {
  const bridge = (window as unknown as Record<string, BatchdeskBridge | undefined>)[BRIDGE_KEY];
  if (bridge) return new IpcTransport(bridge);
  const token = tokenFromLocation(window.location.hash);
  return token ? new HttpTransport(token) : null;
}

const root = createRoot(document.getElementById('root')!);
const transport = pickTransport();
if (!transport) {
  root.render(
    <main className="app-main standalone">
      <h1>batchdesk</h1>
      <p role="alert">
        This page needs the access token. Open the full URL that <code>batchdesk serve</code> printed (it ends with <code>#token=...</code>).
      </p>
    </main>,
  );
} else {
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
