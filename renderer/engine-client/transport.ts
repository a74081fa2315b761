/**
 * A transport carries contract commands to the engine and telemetry back. Two real ones: IPC
 * through the Electron preload bridge, and HTTP + server-sent events to `serve`; tests use a
 * fake. The engine client on top is the same for all of them.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface TransportHandlers {
  /** A telemetry batch, not yet validated. */
  onTelemetry(batch: unknown): void;
  /** An engine status, not yet validated. */
  onEngineStatus(status: unknown): void;
  onConnection?(state: ConnectionState): void;
}

export interface Transport {
  readonly kind: 'ipc' | 'http' | 'fake';
  /** Sends a command; resolves with the raw result ({ ok, output } | { ok: false, error }). */
  invoke(name: string, input: unknown): Promise<unknown>;
  subscribe(handlers: TransportHandlers): () => void;
  /** Browser mode: uploads a dump file; resolves with the server-side path to import. */
  uploadDump?(file: File, onProgress?: (sent: number, total: number) => void): Promise<{ path: string; name: string; bytes: number }>;
  /** Desktop: a native file dialog; resolves with the chosen path or null. */
  chooseDumpFile?(): Promise<string | null>;
}
