/**
 * The preload (SPEC.md 0.2, m.20): built as CommonJS because the renderer is sandboxed. It
 * exposes a tiny typed bridge (window.batchdesk) through contextBridge and holds no logic:
 * commands go to main with ipcRenderer.invoke, telemetry and engine status come back as
 * events. The renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, IPC_CHANNELS, type BatchdeskBridge, type CommandRequest } from '../../core/api/bridge';

function listen(channel: string, listener: (payload: unknown) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const bridge: BatchdeskBridge = {
  command: (name, input) => ipcRenderer.invoke(IPC_CHANNELS.command, { name, input } satisfies CommandRequest),
  chooseDumpFile: () => ipcRenderer.invoke(IPC_CHANNELS.chooseDumpFile) as Promise<string | null>,
  onTelemetry: (listener) => listen(IPC_CHANNELS.telemetry, listener),
  onEngineStatus: (listener) => listen(IPC_CHANNELS.engineStatus, listener),
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
