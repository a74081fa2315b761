/** A HostContext over a database file for handler tests (no worker, no transport). */
import type { HostContext } from '../../../host/handler-types';
import { EventBus } from '../../../host/event-bus';
import { ReadConnection } from '../../../host/read-connection';
import { InProcessRunManager } from './in-process-run-manager';
import { systemClock } from '../../../host/system-ports';

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
