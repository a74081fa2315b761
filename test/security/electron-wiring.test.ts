/**
 * The Electron hardening is wired where it matters (issue 9; SPEC.md 0.2, m.20). The pieces
 * (web preferences, CSP, navigation guards, the IPC sender check) have their own tests in
 * test/electron/main; here electron/main/index.ts itself is started against a mocked
 * `electron` module (no binary is loaded) and the test checks what it did:
 *   - the only window gets secureWebPreferences (context isolation, sandbox, no Node
 *     integration, web security) and the CommonJS preload;
 *   - the default session gets the CSP header and refuses every permission before the window
 *     loads anything;
 *   - every web contents ever created (not only the app's window) gets the navigation and
 *     window-open guards;
 *   - the IPC handlers check the sender: a message from another web contents never reaches
 *     the engine.
 * The preload is loaded the same way: it exposes exactly the four bridge functions, and its
 * listeners never hand the IPC event (which carries the sender) to the page. Last, a scan of
 * electron/ for settings that would undo any of this.
 */
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEY, IPC_CHANNELS } from '../../core/api/bridge';
import { APP_CSP } from '../../electron/main/security';
import { REPO_ROOT, tempDir } from '../support/cli';

type Handler = (event: unknown, payload?: unknown) => unknown;

const fake = vi.hoisted(() => {
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: () => '/nonexistent-user-data',
    isPackaged: false,
    quit: () => undefined,
    exit: () => undefined,
  });
  const windows: { options: Record<string, any>; urls: string[]; webContents: any }[] = [];
  class BrowserWindow extends Emitter {
    static getAllWindows = () => windows;
    readonly webContents: any;
    constructor(options: Record<string, any>) {
      super();
      this.webContents = Object.assign(new Emitter(), { id: 100 + windows.length, mainFrame: { url: '' }, send: () => undefined, isDestroyed: () => false });
      windows.push({ options, urls: [], webContents: this.webContents });
    }
    loadURL(url: string) {
      windows[windows.length - 1]!.urls.push(url);
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    show() {}
    focus() {}
    restore() {}
  }
  const session = {
    onHeaders: null as null | ((d: any, cb: (r: any) => void) => void),
    permission: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    check: null as null | (() => boolean),
    hardenedBeforeLoad: false,
  };
  const defaultSession = {
    webRequest: { onHeadersReceived: (fn: any) => (session.onHeaders = fn) },
    setPermissionRequestHandler: (fn: any) => {
      session.permission = fn;
      session.hardenedBeforeLoad = windows.every((w) => w.urls.length === 0);
    },
    setPermissionCheckHandler: (fn: any) => (session.check = fn),
  };
  const handlers = new Map<string, Handler>();
  const ipcMain = { handle: (ch: string, fn: Handler) => handlers.set(ch, fn), removeHandler: (ch: string) => handlers.delete(ch) };
  const engineCalls: { name: string; input: unknown }[] = [];
  const exposed: Record<string, any> = {};
  const rendererListeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const contextBridge = { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) };
  const ipcRenderer = {
    invoke: (channel: string, payload?: unknown) => Promise.resolve({ channel, payload }),
    on: (channel: string, fn: (...args: unknown[]) => void) => rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), fn]),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => rendererListeners.set(channel, (rendererListeners.get(channel) ?? []).filter((f) => f !== fn)),
  };
  return { app, BrowserWindow, windows, session, defaultSession, handlers, ipcMain, engineCalls, exposed, rendererListeners, contextBridge, ipcRenderer };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  session: { defaultSession: fake.defaultSession },
  ipcMain: fake.ipcMain,
  dialog: { showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) },
  contextBridge: fake.contextBridge,
  ipcRenderer: fake.ipcRenderer,
}));
vi.mock('../../host/engine-worker?modulePath', () => ({ default: '/nonexistent/engine-worker.js' }));
vi.mock('../../host/engine-worker-client', () => ({
  EngineWorkerClient: class {
    currentStatus = { state: 'ready', restarts: 0, recoveredLock: null };
    start() {
      return Promise.resolve();
    }
    stop() {
      return Promise.resolve();
    }
    call(name: string, input: unknown) {
      fake.engineCalls.push({ name, input });
      return Promise.resolve({ ok: true, output: {} });
    }
    onEvent() {
      return () => undefined;
    }
    onStatus() {
      return () => undefined;
    }
  },
}));

describe('electron main wires the hardening into the real window, session and IPC', () => {
  const argv = process.argv;
  beforeAll(async () => {
    process.argv = [...argv, '--db', join(tempDir('batchdesk-electron-'), 'portfolios.sqlite')];
    await import('../../electron/main/index');
    // whenReady().then(...) runs on the next ticks.
    for (let i = 0; i < 20 && fake.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  });
  afterAll(() => {
    process.argv = argv;
  });

  it('creates exactly one window, with the secure web preferences and the CommonJS preload', () => {
    expect(fake.windows).toHaveLength(1);
    const prefs = fake.windows[0]!.options['webPreferences'];
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
    expect(prefs.preload).toMatch(/preload\/index\.cjs$/);
    expect(fake.windows[0]!.urls).toEqual([expect.stringMatching(/^file:\/\/.*\/renderer\/index\.html$/)]);
  });

  it('hardens the default session before the page loads: CSP on every response, every permission refused', () => {
    expect(fake.session.hardenedBeforeLoad).toBe(true);
    let headers: Record<string, string[]> = {};
    fake.session.onHeaders!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([APP_CSP]);
    const answer = vi.fn();
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) fake.session.permission!(null, p, answer);
    expect(answer.mock.calls.every(([ok]) => ok === false)).toBe(true);
    expect(fake.session.check!()).toBe(false);
  });

  it('guards every web contents created, not only the window', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    fake.app.emit('web-contents-created', {}, contents);
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => { action: string };
    expect(handler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const nav = { preventDefault: vi.fn() };
    contents.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const local = { preventDefault: vi.fn() };
    contents.emit('will-navigate', local, 'file:///etc/passwd');
    expect(local.preventDefault).toHaveBeenCalled();
  });

  it('IPC: the app window reaches the engine; another web contents, a subframe or a foreign page never does', async () => {
    const command = fake.handlers.get(IPC_CHANNELS.command)!;
    expect(command).toBeDefined();
    const wc = fake.windows[0]!.webContents;
    const ok = await command({ sender: wc, senderFrame: wc.mainFrame }, { name: 'listPortfolios', input: {} });
    expect(ok).toEqual({ ok: true, output: {} });
    expect(fake.engineCalls).toEqual([{ name: 'listPortfolios', input: {} }]);
    const other = { id: 999, mainFrame: { url: wc.mainFrame.url } };
    const subframe = { url: wc.mainFrame.url };
    const refusals = [
      await command({ sender: other, senderFrame: other.mainFrame }, { name: 'listPortfolios', input: {} }),
      await command({ sender: wc, senderFrame: subframe }, { name: 'listPortfolios', input: {} }),
    ];
    wc.mainFrame.url = 'https://evil.example/';
    refusals.push(await command({ sender: wc, senderFrame: wc.mainFrame }, { name: 'purgeDerived', input: {} }));
    for (const r of refusals) expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(fake.engineCalls).toHaveLength(1);
    expect(await fake.handlers.get(IPC_CHANNELS.chooseDumpFile)!({ sender: other, senderFrame: other.mainFrame })).toBeNull();
  });
});

describe('the preload exposes the bridge and nothing else', () => {
  it('four functions under window.batchdesk; listeners get the payload, never the IPC event', async () => {
    await import('../../electron/preload/index');
    const api = fake.exposed[BRIDGE_KEY];
    expect(Object.keys(fake.exposed)).toEqual([BRIDGE_KEY]);
    expect(Object.keys(api).sort()).toEqual(['chooseDumpFile', 'command', 'onEngineStatus', 'onTelemetry']);
    expect(Object.values(api).every((f) => typeof f === 'function')).toBe(true);
    expect(await api.command('listPortfolios', {})).toEqual({ channel: IPC_CHANNELS.command, payload: { name: 'listPortfolios', input: {} } });
    const got: unknown[][] = [];
    const off = api.onTelemetry((...args: unknown[]) => got.push(args));
    const secretEvent = { sender: { send: () => 'main-process handle' } };
    for (const fn of fake.rendererListeners.get(IPC_CHANNELS.telemetry)!) fn(secretEvent, [{ event: 'metric' }]);
    expect(got).toEqual([[[{ event: 'metric' }]]]);
    off();
    expect(fake.rendererListeners.get(IPC_CHANNELS.telemetry)).toEqual([]);
  });
});

describe('nothing in electron/ undoes the hardening', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(n) ? [p] : [];
    });
  }
  it('no insecure web preference, no remote module, no second window, no raw ipcRenderer for the page', () => {
    const files = sources(join(REPO_ROOT, 'electron'));
    expect(files.length).toBeGreaterThan(3);
    const bad = [
      /nodeIntegration\w*\s*:\s*true/,
      /contextIsolation\s*:\s*false/,
      /sandbox\s*:\s*false/,
      /webSecurity\s*:\s*false/,
      /allowRunningInsecureContent\s*:\s*true/,
      /webviewTag\s*:\s*true/,
      /enableRemoteModule/,
      /@electron\/remote/,
      /exposeInMainWorld\([^)]*ipcRenderer\s*\)/,
      /setPermissionRequestHandler\([^)]*callback\(true\)/,
      /'unsafe-(inline|eval)'/,
    ];
    const found: string[] = [];
    let windows = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const re of bad) if (re.test(text)) found.push(`${f}: ${re}`);
      windows += (text.match(/new BrowserWindow\(/g) ?? []).length;
    }
    expect(found).toEqual([]);
    expect(windows).toBe(1);
  });
});
