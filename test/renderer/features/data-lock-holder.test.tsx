// @vitest-environment happy-dom
/**
 * The Data screen's database line names the lock's holder in words: which program, what it is
 * doing (a seed's lock as seed-demo), its pid and host, and since when in the app's time format.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { FakeTransport } from '../../support/app/fake-transport';
import { renderDataScreen } from '../../support/app/render-data-screen';

afterEach(cleanup);

it("names the lock's holder, what it does, its pid and host and since when", async () => {
  const lock = { what: 'seed-demo', holder: 'cli', host: 'laptop', pid: 4242, acquiredAt: '2026-11-27T23:00:00.000Z', heartbeatAt: '2026-11-27T23:00:05.000Z' };
  renderDataScreen(
    new FakeTransport({
      getDatabaseInfo: () => ({ path: '/data/portfolios.sqlite', name: 'portfolios.sqlite', sizeBytes: 4096, rowCounts: {}, latestCompleteDate: '2026-11-06', gate: null, maintenance: null, lock }),
      listBackups: () => ({ dir: '/data/backups', backups: [], incomplete: [] }),
    }),
  );
  await waitFor(() => expect(screen.getByText(/locked by/).textContent).toContain("locked by the CLI's seed-demo (pid 4242 on laptop, since 2026-11-27 23:00:00)."));
});
