/**
 * Validated IPC (SPEC.md 0.2, 0.4): every handler first checks the sender (the app's own
 * window, showing the app's own page in its main frame), then parses the message with zod;
 * a command must be a contract command. Anything else is answered with the one error shape
 * and never reaches the engine.
 */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { IPC_CHANNELS } from '../../core/api/bridge';
import { isCommandName } from '../../core/api/contract';
import type { ErrorShape } from '../../core/api/errors';

export const commandRequestSchema = z.object({
  name: z.string().min(1).max(100).regex(/^[A-Za-z][A-Za-z0-9]*$/),
  input: z.unknown(),
});

/** chooseDumpFile takes no payload. */
export const chooseDumpFileSchema = z.undefined();

export interface EngineLike {
  call(name: string, input: unknown): Promise<unknown>;
}

export interface IpcOptions {
  readonly engine: EngineLike;
  /** The app window whose renderer may talk to main. */
  readonly window: () => BrowserWindow | null;
  /** The page the window shows: file://.../renderer/index.html, or the dev server origin. */
  readonly trustedUrl: (url: string) => boolean;
  readonly log?: (line: string) => void;
}

const refusal = (code: ErrorShape['code'], message: string) => ({ ok: false as const, error: { code, message } });

/** True when the message comes from the main frame of the app's window showing the app's page. */
export function isTrustedSender(event: IpcMainInvokeEvent, opts: Pick<IpcOptions, 'window' | 'trustedUrl'>): boolean {
  const win = opts.window();
  if (!win || win.isDestroyed()) return false;
  if (event.sender.id !== win.webContents.id) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return opts.trustedUrl(frame.url);
}

/** Registers the handlers; returns a function that removes them. */
export function registerIpc(opts: IpcOptions): () => void {
  ipcMain.handle(IPC_CHANNELS.command, async (event, raw: unknown) => {
    if (!isTrustedSender(event, opts)) {
      opts.log?.(`refused an IPC command from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
      return refusal('forbidden', 'this sender may not talk to the engine');
    }
    const req = commandRequestSchema.safeParse(raw);
    if (!req.success) return refusal('usage', `malformed command message: ${req.error.issues[0]?.message ?? ''}`);
    if (!isCommandName(req.data.name)) return refusal('not_found', `unknown command ${JSON.stringify(req.data.name)}`);
    return opts.engine.call(req.data.name, req.data.input);
  });
  ipcMain.handle(IPC_CHANNELS.chooseDumpFile, async (event, raw: unknown) => {
    if (!isTrustedSender(event, opts)) return null;
    if (!chooseDumpFileSchema.safeParse(raw).success) return null;
    const win = opts.window();
    const r = await dialog.showOpenDialog(win!, {
      title: 'Import a PostgreSQL dump',
      properties: ['openFile'],
      filters: [
        { name: 'PostgreSQL dumps', extensions: ['dump', 'sql', 'backup', 'tar', 'gz', 'zst', 'lz4'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
  });
  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.command);
    ipcMain.removeHandler(IPC_CHANNELS.chooseDumpFile);
  };
}
