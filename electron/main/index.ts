/// <reference types="electron-vite/node" />
/**
 * Electron main (SPEC.md 0.2): a thin broker. It never opens the database: the engine runs
 * in a worker thread (the same module `serve` starts), supervised with restarts and stopped
 * cleanly on quit (the running batch finishes its current portfolio-date). Main creates the
 * hardened window, relays validated IPC to the worker and throttled telemetry back.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, session } from 'electron';
import workerPath from '../../host/engine-worker?modulePath';
import { EngineWorkerClient } from '../../host/engine-worker-client';
import { registerIpc } from './ipc';
import { databasePath, migrationsFolder, rendererUrl } from './paths';
import { appUrlMatcher, guardNavigation, hardenSession, secureWebPreferences } from './security';
import { bridgeTelemetry } from './telemetry-bridge';

/** Wires the app; all state lives in this closure. */
function startApp(): void {
  const mainDir = dirname(fileURLToPath(import.meta.url));
  const log = (line: string) => process.stderr.write(`[batchdesk] ${line}\n`);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const dbPath = databasePath(process.argv, process.env, app.getPath('userData'));
  mkdirSync(dirname(dbPath), { recursive: true });
  const pageUrl = rendererUrl(mainDir, process.env['ELECTRON_RENDERER_URL']);
  const isAppUrl = appUrlMatcher(pageUrl);
  const migrations = migrationsFolder(process.resourcesPath, app.isPackaged);

  const engine = new EngineWorkerClient({
    workerPath,
    options: { dbPath, holder: 'app', ...(migrations ? { migrationsFolder: migrations } : {}) },
    onFault: (m) => log(`engine: ${m}`),
  });

  let win: BrowserWindow | null = null;
  let stopping = false;

  // Every web contents (including any the app did not create) gets the navigation guards.
  app.on('web-contents-created', (_e, contents) => guardNavigation(contents, isAppUrl, log));

  async function createWindow(): Promise<void> {
    win = new BrowserWindow({
      width: 1400,
      height: 900,
      show: false,
      title: 'batchdesk',
      webPreferences: secureWebPreferences(`${mainDir}/../preload/index.cjs`),
    });
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = null));
    await win.loadURL(pageUrl);
  }

  app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    registerIpc({ engine, window: () => win, trustedUrl: isAppUrl, log });
    bridgeTelemetry(engine, () => win?.webContents ?? null);
    void engine.start().catch((err: unknown) => log(`the engine did not start: ${(err as Error).message}`));
    await createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  });

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Clean quit: stop the engine (graceful cancel of a running batch) before the process exits.
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    void engine.stop().finally(() => app.exit(0));
  });
}

startApp();
