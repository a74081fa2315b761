/**
 * A scripted transport for renderer tests: commands answered by a handler map (unknown
 * commands get not_found), telemetry pushed by the test one event or one batch at a time.
 */
import type { Transport, TransportHandlers } from '../../../renderer/engine-client/transport';

export type FakeHandler = (input: unknown) => unknown | Promise<unknown>;

export class FakeTransport implements Transport {
  readonly kind = 'fake' as const;
  readonly calls: { name: string; input: unknown }[] = [];
  private handlers: TransportHandlers | null = null;

  constructor(private readonly commands: Record<string, FakeHandler> = {}) {}

  async invoke(name: string, input: unknown): Promise<unknown> {
    this.calls.push({ name, input });
    const h = this.commands[name];
    if (!h) return { ok: false, error: { code: 'not_found', message: `no fake for ${name}` } };
    try {
      return { ok: true, output: await h(input) };
    } catch (err) {
      return { ok: false, error: { code: 'internal', message: (err as Error).message } };
    }
  }

  subscribe(handlers: TransportHandlers): () => void {
    this.handlers = handlers;
    handlers.onConnection?.('open');
    return () => {
      this.handlers = null;
    };
  }

  /** Pushes raw telemetry (an event or a batch) as a transport would. */
  emit(raw: unknown): void {
    this.handlers?.onTelemetry(raw);
  }

  status(raw: unknown): void {
    this.handlers?.onEngineStatus(raw);
  }

  get subscribed(): boolean {
    return this.handlers !== null;
  }
}
