/**
 * A screen over a connected client and a started live store, fed by a fake transport answering
 * `commands`: the set-up the Live screen's and the header's component tests share. Returns the
 * transport (its calls; telemetry batches are emitted through it) and the store.
 */
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveScreen } from '../../../renderer/features/telemetry/live-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { FakeTransport, type FakeHandler } from './fake-transport';

export function renderLiveScreen(commands: Record<string, FakeHandler>, element: ReactElement = <LiveScreen />): { transport: FakeTransport; live: LiveStore } {
  const transport = new FakeTransport({ getOtherProcessRun: () => ({ run: null }), ...commands });
  const client = new EngineClient(transport);
  client.connect();
  const live = new LiveStore(client);
  live.start();
  render(<ServicesProvider value={{ client, live }}>{element}</ServicesProvider>);
  return { transport, live };
}
