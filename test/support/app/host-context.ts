/** A HostContext over a database file for handler tests (no worker, no transport). */
import type { HostContext } from '../../../host/handler-types';
import { EventBus } from '../../../host/event-bus';
import { ReadConnection } from '../../../host/read-connection';
import { InProcessRunManager } from './in-process-run-manager';
import { systemClock } from '../../../host/system-ports';
import { dispatch } from '../../../host/dispatcher';
import type { Transport } from '../../../renderer/engine-client/transport';

export function testHostContext(dbPath: string, now: string, options: { reader?: boolean; ringCapacity?: number } = {}): HostContext & { bus: EventBus } {
  const bus = new EventBus(options.ringCapacity);
  const clock = systemClock({ BATCHDESK_NOW: now });
  return {
    dbPath,
    holder: 'serve',
    triggeredBy: 'serve',
    clock,
    bus,
    runs: new InProcessRunManager({ dbPath, holder: 'serve', bus, clock }),
    ...(options.reader === false ? {} : { reader: new ReadConnection(dbPath) }),
  };
}

/** A command's output through the dispatcher, as the app and `serve` call it; a refusal throws with its code and message. */
export async function dispatchOk(ctx: HostContext, name: string, input: unknown): Promise<any> {
  const r = await dispatch(name, input, ctx);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.output;
}

/** The renderer's timer on Node's clock, for an EngineClient in tests. */
export const nodeTimer = { now: () => performance.now(), setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };

/** The host in this process as the renderer's transport: commands go to the dispatcher, telemetry comes from its bus. */
export function hostTransport(ctx: HostContext): Transport {
  return {
    kind: 'fake',
    invoke: (name, input) => dispatch(name, input, ctx),
    subscribe: (handlers) => ctx.bus.subscribe((e) => handlers.onTelemetry(e)),
  };
}

/** Waits until `check` holds, polling every 20 ms; fails after `ms`. */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
