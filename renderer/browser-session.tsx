/**
 * Browser mode's session: the access token the app talks to `serve` with, and the app mounted
 * on it. The fragment's token always wins over the one the tab kept (session-token.ts): on load,
 * and when a new one is pasted into the same tab (a new `serve` prints a new URL; only the
 * fragment changes, so the page does not reload). A new token is checked with the server, then
 * the app is mounted afresh on it, as a reload would: the database may be another one, so
 * nothing the app showed (runs, kept form choices, the header's database) outlives the token.
 */
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { App } from './app';
import { ServicesProvider } from './app-context';
import { EngineClient } from './engine-client/engine-client';
import { tokenFromLocation } from './engine-client/http-transport';
import { forgetToken, keepToken, keptToken } from './engine-client/session-token';
import type { Transport } from './engine-client/transport';
import { LiveStore } from './state/live-store';

/** The page shown instead of the app when browser mode has no usable token. */
function TokenProblem({ problem }: { problem: string }) {
  return (
    <main className="app-main standalone">
      <h1>batchdesk</h1>
      <p role="alert" data-testid="token-problem">
        {problem} Open the full URL that <code>batchdesk serve</code> printed (it ends with <code>#token=...</code>); each start of <code>serve</code> prints a new one.
      </p>
    </main>
  );
}

/**
 * Mounts `transport`'s app in `root`, in place of whatever it showed: a fresh engine client,
 * live store and kept screen state (the `key` remounts the whole tree). Returns the client, to
 * disconnect when another app replaces it.
 */
export function mountApp(root: Root, transport: Transport, key = 0): EngineClient {
  const client = new EngineClient(transport);
  const live = new LiveStore(client);
  root.render(
    <StrictMode key={key}>
      <ServicesProvider value={{ client, live }}>
        <App />
      </ServicesProvider>
    </StrictMode>,
  );
  return client;
}

/**
 * Runs browser mode in `root`: the fragment's token (else the one this tab kept) is checked with
 * the server; a refused one is said at once instead of an app whose every view would be empty,
 * and a taken one is kept for the tab and the app mounted on it. A fragment that brings another
 * token (`hashchange`) does all of that again with it, replacing the app. Returns a function
 * that stops following the fragment.
 */
export function runBrowserMode(root: Root, transportFor: (token: string) => Transport): () => void {
  /** The token last tried, and how many have been: an answer to an earlier one is dropped. */
  let tried: string | null = null;
  let attempt = 0;
  let client: EngineClient | null = null;

  const show = (next: { client: EngineClient } | { problem: string }) => {
    client?.disconnect();
    client = null;
    if ('client' in next) client = next.client;
    else root.render(<TokenProblem problem={next.problem} />);
  };

  const open = (token: string, fromUrl: boolean) => {
    tried = token;
    const mine = ++attempt;
    const transport = transportFor(token);
    void transport.invoke('getRunStatus', {}).then((r) => {
      if (mine !== attempt) return;
      const answer = r as { ok?: boolean; error?: { code?: string } };
      if (answer.error?.code === 'unauthorized') {
        if (token === keptToken()) forgetToken();
        show({ problem: fromUrl ? 'The access token in this URL is not the one this server expects.' : 'The access token this tab kept is not the one this server expects.' });
        return;
      }
      if (answer.ok) keepToken(token);
      show({ client: mountApp(root, transport, mine) });
    });
  };

  const urlToken = tokenFromLocation(window.location.hash);
  const token = urlToken ?? keptToken();
  if (token) open(token, urlToken !== null);
  else show({ problem: 'This page needs the access token.' });

  const follow = () => {
    const next = tokenFromLocation(window.location.hash);
    if (next !== null && next !== tried) open(next, true);
  };
  window.addEventListener('hashchange', follow);
  return () => window.removeEventListener('hashchange', follow);
}
