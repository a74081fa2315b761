/**
 * Renderer entry: the desktop app mounts on the preload bridge; browser mode on HTTP with the
 * token from the URL fragment, else the one this tab kept after the server took it, and again
 * on each new token pasted into the fragment (browser-session.tsx).
 */
import { createRoot } from 'react-dom/client';
import { BRIDGE_KEY, type BatchdeskBridge } from '../core/api/bridge';
import { mountApp, runBrowserMode } from './browser-session';
import { HttpTransport } from './engine-client/http-transport';
import { IpcTransport } from './engine-client/ipc-transport';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const bridge = (window as unknown as Record<string, BatchdeskBridge | undefined>)[BRIDGE_KEY];
if (bridge) mountApp(root, new IpcTransport(bridge));
else runBrowserMode(root, (token) => new HttpTransport(token));
