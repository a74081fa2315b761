/** Desktop: commands and telemetry through the preload bridge (window.batchdesk). */
import type { BatchdeskBridge } from '../../core/api/bridge';
import type { Transport, TransportHandlers } from './transport';

export class IpcTransport implements Transport {
  readonly kind = 'ipc' as const;

  constructor(private readonly bridge: BatchdeskBridge) {}

  invoke(name: string, input: unknown): Promise<unknown> {
    return this.bridge.command(name, input ?? {});
  }

  subscribe(h: TransportHandlers): () => void {
    const offTelemetry = this.bridge.onTelemetry((b) => h.onTelemetry(b));
    const offStatus = this.bridge.onEngineStatus((s) => h.onEngineStatus(s));
    h.onConnection?.('open');
    return () => {
      offTelemetry();
      offStatus();
    };
  }

  chooseDumpFile(): Promise<string | null> {
    return this.bridge.chooseDumpFile();
  }
}
