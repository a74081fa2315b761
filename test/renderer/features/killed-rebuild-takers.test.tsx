// @vitest-environment happy-dom
/**
 * An app user whose "Add prices from CSV" or "Back up, then purge" took over a killed rebuild's
 * lock is told what the CLI tells: the rebuild was closed as failed, the regression gate closed
 * over its range, and the two ways out; the purge advises those instead of a run the gate refuses.
 * (test/host/handlers/killed-rebuild-takers.test.ts checks that the host returns these words.)
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { MissingPricesScreen } from '../../../renderer/features/missing-prices/missing-prices-screen';
import { NavigationContext } from '../../../renderer/navigation';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { FakeTransport } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';

beforeEach(fakeLayout);
afterEach(cleanup);

const DB = '/data/portfolios.sqlite';
const BACKUP = '/data/backups/portfolios.20261110T080000Z.pre-rebuild.sqlite';
/** The killed rebuild's ways out, and what a taker of its lock says (core/maintenance/takeover-words.ts). */
const WAYS_OUT = `run it again with \`batchdesk rebuild --start-date 2026-11-02 --end-date 2026-11-06 --db ${DB}\`, or put the pre-rebuild backup ${BACKUP} back with \`batchdesk restore ${BACKUP} --db ${DB}\``;
const TAKEOVER = `the rebuild holding the lock (pid 4242 on desk) stopped before it finished: taking its lock over closed it as failed and closed the regression gate over 2026-11-02 .. 2026-11-06; ${WAYS_OUT}`;

const IMPORTED: CommandOutput<'importPrices'> = {
  file: 'one.csv',
  rows: 1,
  symbols: 1,
  inserted: 1,
  updated: 0,
  unchanged: 0,
  keptStored: 0,
  jumps: [],
  stale: { dates: 0, first: null, last: null },
  skipped: [],
  unneededSymbols: [],
  warnings: [TAKEOVER],
};

const PURGED: CommandOutput<'purgeDerived'> = {
  dryRun: false,
  range: { start: '2026-11-05', end: '2026-11-06' },
  portfolioIds: [],
  backupFile: '/data/backups/portfolios.20261110T080500Z.pre-purge.sqlite',
  countsBefore: { portfolio_snapshots: 6 },
  countsAfter: { portfolio_snapshots: 0 },
  deleted: { portfolio_snapshots: 6 },
  positionsReset: 4,
  portfoliosReset: 3,
  trackingDeleted: 0,
  trackingMarkedStale: 0,
  maintenanceId: 2,
  rebuild: { startDate: '2026-11-05', automatic: true },
  warnings: [TAKEOVER],
  gateClosedWaysOut: WAYS_OUT,
};

describe('the app after taking over a killed rebuild\'s lock', () => {
  it('"Add prices from CSV" lists what the takeover did among the import\'s warnings', async () => {
    const client = new EngineClient(
      new FakeTransport({
        listPortfolios: () => ({ portfolios: [] }),
        getMissingPrices: () => ({ rows: [], total: 0, truncated: false }),
        getSuspectPrices: () => ({ rows: [], total: 0, truncated: false }),
        importPrices: () => IMPORTED,
      }),
    );
    client.connect();
    render(
      <ServicesProvider value={{ client, live: new LiveStore(client) }}>
        <NavigationContext.Provider value={{ route: { screen: 'missing', params: {} }, navigate: vi.fn() }}>
          <MissingPricesScreen />
        </NavigationContext.Provider>
      </ServicesProvider>,
    );
    fireEvent.change(screen.getByTestId('add-prices-file'), { target: { files: [new File(['symbol,date,close\nAAPL,2026-11-06,210.5\n'], 'one.csv')] } });
    fireEvent.click(screen.getByTestId('add-prices-import'));
    await screen.findByTestId('add-prices-result');
    expect([...screen.getByTestId('add-prices-warnings').querySelectorAll('li')].map((li) => li.textContent)).toEqual([`${TAKEOVER}.`]);
  });

  it('"Back up, then purge" warns what the takeover did and advises the rebuild\'s ways out, not a run', async () => {
    renderDataScreen(
      new FakeTransport({
        getDatabaseInfo: () => ({ path: DB, name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: { portfolio_snapshots: 6 }, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock: null }),
        listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [] }),
        purgeDerived: () => PURGED,
      }),
    );
    fireEvent.click(await screen.findByTestId('purge-start'));
    fireEvent.click(screen.getByTestId('purge-confirm'));
    await screen.findByTestId('purge-result');
    expect(screen.getByTestId('purge-warnings').textContent).toBe(`Warning: ${TAKEOVER}.`);
    expect(screen.getByTestId('purge-rebuild').textContent).toBe(`To rebuild: a run is refused at the regression gate the lock takeover above closed; for the interrupted rebuild, ${WAYS_OUT}.`);
  });
});
