/** The Data screen on its own engine client over `transport` (Data screen tests). */
import { render } from '@testing-library/react';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { DataScreen } from '../../../renderer/features/data/data-screen';
import { LiveStore } from '../../../renderer/state/live-store';

export function renderDataScreen(transport: ConstructorParameters<typeof EngineClient>[0]): void {
  const client = new EngineClient(transport);
  client.connect();
  render(
    <ServicesProvider value={{ client, live: new LiveStore(client) }}>
      <DataScreen />
    </ServicesProvider>,
  );
}
