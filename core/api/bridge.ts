/**
 * The desktop bridge: what the Electron preload exposes to the renderer (SPEC.md 0.2, m.20)
 * and the IPC channel names main listens on. Defined once here so that neither side types a
 * channel string by hand. The preload forwards only these; main validates every message.
 * No runtime dependency: the sandboxed CommonJS preload bundles this file as it is.
 */
/** `window[BRIDGE_KEY]` in the renderer. */
export const BRIDGE_KEY = 'batchdesk';

export const IPC_CHANNELS = {
  /** renderer -> main (invoke): a contract command; answers { ok, output } | { ok: false, error }. */
  command: 'batchdesk:command',
  /** renderer -> main (invoke): a native file dialog for a dump to import; answers a path or null. */
  chooseDumpFile: 'batchdesk:choose-dump-file',
  /** main -> renderer: a throttled telemetry batch (at most 10 a second). */
  telemetry: 'batchdesk:telemetry',
  /** main -> renderer: the engine worker's status. */
  engineStatus: 'batchdesk:engine-status',
} as const;

/** What the preload sends on IPC_CHANNELS.command (main parses it with zod). */
export interface CommandRequest {
  readonly name: string;
  readonly input: unknown;
}

export interface BatchdeskBridge {
  /** Sends a contract command; resolves with the raw result ({ ok, output } | { ok: false, error }). */
  command(name: string, input: unknown): Promise<unknown>;
  /** Opens the native file dialog for a pg dump; resolves with the chosen path or null. */
  chooseDumpFile(): Promise<string | null>;
  /** Telemetry batches; returns an unsubscribe function. */
  onTelemetry(listener: (batch: unknown) => void): () => void;
  /** Engine status changes; returns an unsubscribe function. */
  onEngineStatus(listener: (status: unknown) => void): () => void;
}
